"""The vector store as Chroma 1.x documents it: the distance set through the collection's
configuration, the vectors of a passage kept with only their article, a search restricted to some
articles, and a collection of an older index (made with the pre-1.x `hnsw:space` metadata) opened
as it is. Embedded Chroma on a temporary folder, vectors given (no model)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answers.corpus import Filters
from assistant.config import load_settings
from assistant.embedding.encoder import ChromaEmbedding
from assistant.facts.model import DateValue, Place, ProgramFacts
from assistant.index.catalog import ArticleRow
from assistant.index.store import VectorStore, collection_name


def row(source: str, facts: ProgramFacts) -> ArticleRow:
    return ArticleRow(source, "h", "done", 1, 0, facts.title, "", 2, facts)


def store_for(tmp_path) -> VectorStore:
    settings = load_settings(sources_dir=tmp_path / "sources", index_dir=tmp_path / "index")
    return VectorStore(settings, ChromaEmbedding(lambda: None), owner="i1")   # vectors given: never called


def test_cosine_through_the_configuration_and_a_search_by_article(tmp_path):
    store = store_for(tmp_path)
    assert store.collection.configuration["hnsw"]["space"] == "cosine"
    assert "hnsw:space" not in (store.collection.metadata or {})
    vectors = np.eye(3, 8, dtype=np.float32)
    store.add(["a-0", "a-1", "b-0"], vectors, [{"source": "a.txt"}, {"source": "a.txt"}, {"source": "b.txt"}])
    hits = store.query(vectors[2], 3)
    assert hits[0][0] == "b-0" and abs(hits[0][1] - 1.0) < 1e-5            # cosine similarity
    assert {cid for cid, _ in store.query(vectors[2], 3, where={"source": "a.txt"})} == {"a-0", "a-1"}
    assert store.collection.get(ids=["a-0"], include=["metadatas"])["metadatas"] == [{"source": "a.txt"}]


def test_the_corpus_filters_run_in_chroma_on_the_metadata_of_each_vector(tmp_path):
    """Place, party and year filters as Chroma `where` clauses on the array metadata stored with every
    passage: the passages found are exactly those of the articles the in-memory filters admit."""
    rows = {
        "a.txt": row("a.txt", ProgramFacts(place=Place("Phú Yên", "huyện Sơn Hòa"), event_date=DateValue(3, 4, 2024),
                                           period="2024-2026", parties=("Ban Dân vận Huyện ủy", "Hội Nông dân huyện"))),
        "b.txt": row("b.txt", ProgramFacts(place=Place("Đắk Nông"), event_date=DateValue(9, 1, 2023),
                                           parties=("Ban Tuyên giáo Tỉnh ủy", "Công an tỉnh"))),
        "c.txt": row("c.txt", ProgramFacts(title="Không rõ nơi, không rõ ngày")),
    }
    store = store_for(tmp_path)
    ids = [f"{source}-{n}" for source in rows for n in range(2)]
    vectors = np.random.default_rng(0).normal(size=(len(ids), 8)).astype(np.float32)
    store.add(ids, vectors, [{"source": cid.rsplit("-", 1)[0], **rows[cid.rsplit("-", 1)[0]].facts.filter_values}
                             for cid in ids])
    choices = [Filters(provinces=("Son Hoa",)), Filters(provinces=("phú yên", "Đắk Nông")),
               Filters(parties=("Công an",)), Filters(years=(2025,)), Filters(years=(2023, 2026)),
               Filters(provinces=("Phú Yên",), parties=("Công an",)), Filters(provinces=("Hà Giang",)),
               Filters(provinces=("Phú Yên",), parties=("Ban Dân vận", "Công an"), years=(2024,))]
    for filters in choices:
        found = {cid.rsplit("-", 1)[0] for cid, _ in store.query(vectors[0], len(ids), where=filters.where())}
        assert found == filters.admitted(rows), filters
    assert Filters().where() is None and store.collection.get(ids=["c.txt-0"], include=["metadatas"])[
        "metadatas"] == [{"source": "c.txt"}]          # an article without places, parties or years: no empty lists


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


def test_a_password_is_never_sent_in_clear_text_to_another_machine(tmp_path):
    """Credentials for a proxy over plain HTTP to a host that is not this machine: refused before any
    connection is made, with what to set."""
    from assistant.errors import StoreUnavailable

    for secret in ({"chroma_user": "a", "chroma_password": "b"}, {"chroma_token": "t"}):
        settings = load_settings(sources_dir=tmp_path / "s", index_dir=tmp_path / "i", chroma_host="192.0.2.10",
                                 chroma_port=8443, **secret)
        with pytest.raises(StoreUnavailable) as refused:
            VectorStore(settings, ChromaEmbedding(lambda: None), owner="i1")
        assert "CHROMA_SSL=1" in str(refused.value) and "không mã hóa" in str(refused.value)


def test_an_index_has_one_id_even_when_two_processes_open_it_new(tmp_path):
    """The id that names an index's collection is made once: a second opener that found none (it
    looked before the first wrote it) still ends with the first's."""
    from assistant.index.catalog import Catalog

    path = tmp_path / "catalog.sqlite3"
    first, second = Catalog(path), Catalog(path)
    second.get_meta = lambda key: None          # it looked before the first one wrote
    made = first.index_id()
    assert second.index_id() == made == Catalog(path).index_id() and len(made) == 12
    assert collection_name("articles", made, "m") != collection_name("articles", "another", "m")
