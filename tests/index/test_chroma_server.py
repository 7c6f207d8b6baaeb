"""Server mode against a real Chroma server started on 127.0.0.1 and stopped by its PID."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SOURCES, TEST_ARTICLES, copy_articles, free_port, run_cli, start_chroma, stop_process

from assistant.answers.corpus import Filters
from assistant.answers.retrieval import Retriever
from assistant.errors import StoreUnavailable
from assistant.index.lexical import query_terms
from assistant.ingest.indexer import Indexer, run_ingest

pytestmark = pytest.mark.integration   # real model, Chroma, browser or CLI processes

@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    proc = start_chroma(tmp_path / "chroma-data", port)
    yield port
    stop_process(proc)


def test_ingest_and_query_through_a_chroma_server(chroma_server, settings_for, embedder, tmp_path):
    settings = settings_for(SOURCES, chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = run_ingest(settings, embedder=embedder)
    assert len(report.added) == 5 and report.rejected == []
    assert not (Path(settings.index_dir) / "chroma").exists()  # vectors live on the server

    with Indexer(settings, embedder) as indexer:
        assert indexer.store.count() == indexer.catalog.chunk_total() == report.total_chunks
        hits = indexer.store.query(embedder.embed_query("Ai dự lễ ký kết ở Cần Thơ?"), 3)
        assert indexer.catalog.chunks_by_id([hits[0][0]])[hits[0][0]].source == "000_65aea955625578e5.txt"
        # the server applies the UI's corpus filters to the metadata of each vector too
        where = Filters(provinces=("Phú Bình",)).where()
        kept = indexer.store.query(embedder.embed_query("Ai dự lễ ký kết ở Cần Thơ?"), 3, where=where)
        assert kept and {indexer.catalog.chunks_by_id([c])[c].source for c, _s in kept} == {"003_a972841ddb3fa63a.txt"}
        lexical = Retriever(indexer.catalog, indexer.store, embedder.embed_query).lexical.search(
            query_terms("ky ket o Phu Binh"), 1)
        assert indexer.catalog.chunks_by_id([lexical[0][0]])[lexical[0][0]].source == "003_a972841ddb3fa63a.txt"

    # the CLI reaches the same server through environment variables; nothing changed, nothing to do
    result = run_cli("ingest", "--sources", str(SOURCES), "--index", str(settings.index_dir),
                     env={"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma_server)})
    assert result.returncode == 0, result.stderr
    assert "không đổi 5" in result.stdout


def test_two_indexes_sharing_a_server_keep_to_their_own_vectors(chroma_server, settings_for, embedder, tmp_path):
    """Each index's vectors live in its own collection: ingesting one never repairs away, drops or
    reads the other's (each has its own catalog, so to each the other's vectors would be strays)."""
    others = tmp_path / "others"
    copy_articles(others, [TEST_ARTICLES / "gia_lai_tuyen_giao_so.txt", TEST_ARTICLES / "long_an_tuyen_giao_vks.md"])
    first = settings_for(SOURCES, chroma_host="127.0.0.1", chroma_port=chroma_server, index_dir=tmp_path / "one")
    second = settings_for(others, chroma_host="127.0.0.1", chroma_port=chroma_server, index_dir=tmp_path / "two")
    one = run_ingest(first, embedder=embedder)
    two = run_ingest(second, embedder=embedder)
    again = run_ingest(first, embedder=embedder)   # with the other index's vectors on the server
    assert again.unchanged == 5 and again.chunks_written == 0
    for settings, report, sources in ((first, one, {p.name for p in SOURCES.iterdir()}),
                                      (second, two, {"gia_lai_tuyen_giao_so.txt", "long_an_tuyen_giao_vks.md"})):
        with Indexer(settings, embedder) as indexer:
            assert indexer.store.count() == indexer.catalog.chunk_total() == report.total_chunks
            hits = indexer.store.query(embedder.embed_query("Ban Tuyên giáo ký kết quy chế phối hợp"), 50)
            assert {indexer.catalog.chunks_by_id([c])[c].source for c, _s in hits} == sources


def test_unreachable_server_is_a_clear_message(settings_for, tmp_path):
    port = free_port()  # nothing listens there
    with pytest.raises(StoreUnavailable) as excinfo:
        Indexer(settings_for(SOURCES, chroma_host="127.0.0.1", chroma_port=port))
    assert f"Không kết nối được máy chủ Chroma 127.0.0.1:{port}" in str(excinfo.value)
    result = run_cli("ingest", "--sources", str(SOURCES), "--index", str(tmp_path / "i2"),
                     "--chroma-host", "127.0.0.1", "--chroma-port", str(port))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Không kết nối được máy chủ Chroma" in result.stderr
