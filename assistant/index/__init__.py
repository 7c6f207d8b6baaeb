"""The on-disk index: the SQLite catalog (articles, chunks, lexical terms), the Chroma vectors and
the in-memory BM25 index of the query path."""
