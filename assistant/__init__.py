"""Offline Vietnamese question answering over coordination-program (chương trình phối hợp) articles.

Pipeline: loading -> facts -> chunking -> embedding -> store + catalog (ingest) -> retrieval -> answering.
"""
