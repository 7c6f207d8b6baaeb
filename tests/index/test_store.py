"""The vector store as Chroma 1.x documents it: the distance set through the collection's
configuration, the vectors of a passage kept with only their article, a search restricted to some
articles, and a collection of an older index (made with the pre-1.x `hnsw:space` metadata) opened
as it is. Embedded Chroma on a temporary folder, vectors given (no model)."""

from __future__ import annotations

import numpy as np

from assistant.config import load_settings
from assistant.embedding.encoder import ChromaEmbedding
from assistant.index.store import VectorStore


def store_for(tmp_path) -> VectorStore:
    settings = load_settings(sources_dir=tmp_path / "sources", index_dir=tmp_path / "index")
    return VectorStore(settings, ChromaEmbedding(lambda: None))   # vectors are always given: never called


def test_cosine_through_the_configuration_and_a_search_by_article(tmp_path):
    store = store_for(tmp_path)
    assert store.collection.configuration["hnsw"]["space"] == "cosine"
    assert "hnsw:space" not in (store.collection.metadata or {})
    vectors = np.eye(3, 8, dtype=np.float32)
    store.add(["a-0", "a-1", "b-0"], vectors, ["a.txt", "a.txt", "b.txt"])
    hits = store.query(vectors[2], 3)
    assert hits[0][0] == "b-0" and abs(hits[0][1] - 1.0) < 1e-5            # cosine similarity
    assert {cid for cid, _ in store.query(vectors[2], 3, sources={"a.txt"})} == {"a-0", "a-1"}
    assert store.collection.get(ids=["a-0"], include=["metadatas"])["metadatas"] == [{"source": "a.txt"}]


def test_a_collection_of_an_older_index_opens_as_it_is(tmp_path):
    import chromadb

    settings = load_settings(sources_dir=tmp_path / "sources", index_dir=tmp_path / "index")
    first = store_for(tmp_path)
    name = first.name
    client = chromadb.PersistentClient(path=str(tmp_path / "index" / "chroma"))
    client.delete_collection(name)
    client.create_collection(name, metadata={"hnsw:space": "cosine", "model": settings.embedding_key},
                             embedding_function=None)
    reopened = store_for(tmp_path)
    assert reopened.collection.configuration["hnsw"]["space"] == "cosine"
