"""Offline Vietnamese question answering over coordination-program (chương trình phối hợp) articles.

Pipeline, one package per stage: ingest (loading, cleaning, chunking, indexer) -> facts -> embedding ->
index (catalog, vectors, BM25) -> answers (analysis, retrieval, ranking, composing) -> app (service,
CLI, presenting); text holds the primitives they share, bench the benchmark.
"""
