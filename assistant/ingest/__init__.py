"""Ingest: files -> clean articles -> facts and chunks -> vectors and lexical terms, kept in step with
the sources folder, all-or-nothing per article (`indexer`)."""
