"""Deleting moves an article to the trash, from where it can be restored: names are confined to the
sources folder and the trash (a path trick is refused and nothing moves), a name taken in the trash or
again in the sources folder gets a variant so no file is ever overwritten, the original name (with its
subfolder) is recovered, and ingest never reads the trash even when the index lies in the sources
folder. The service's delete/restore messages are checked on stand-ins for the index (no model)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.app import uploads
from assistant.app.service import DELETED, RESTORED, Assistant
from assistant.app.uploads import ORIGINS, move_to_trash, restore_from_trash, trash_entries
from assistant.config import load_settings
from assistant.errors import Rejected
from assistant.ingest.indexer import IngestReport, not_articles
from assistant.ingest.loading import discover


@pytest.fixture
def folders(tmp_path):
    sources, trash = tmp_path / "sources", tmp_path / "index" / "trash"
    sources.mkdir()
    (sources / "a.txt").write_text("bài A", encoding="utf-8")
    (sources / "sub").mkdir()
    (sources / "sub" / "b.txt").write_text("bài B", encoding="utf-8")
    return sources, trash


def files_under(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file() and ORIGINS not in p.parts}


def test_delete_moves_the_file_and_restore_brings_it_back(folders):
    sources, trash = folders
    entry = move_to_trash("a.txt", sources, trash)
    assert entry == "a.txt" and not (sources / "a.txt").exists()
    assert (trash / entry).read_text(encoding="utf-8") == "bài A"
    [listed] = trash_entries(trash)
    assert (listed.name, listed.original) == ("a.txt", "a.txt") and listed.deleted > 0
    assert len(listed.deleted_text()) == len("14/03/2024 09:05")
    assert restore_from_trash(entry, trash, sources) == "a.txt"
    assert (sources / "a.txt").read_text(encoding="utf-8") == "bài A"
    assert trash_entries(trash) == [] and not list((trash / ORIGINS).iterdir())


def test_an_article_in_a_subfolder_is_restored_into_it(folders):
    sources, trash = folders
    entry = move_to_trash("sub/b.txt", sources, trash)
    assert entry == "b.txt" and trash_entries(trash)[0].original == "sub/b.txt"
    (sources / "sub").rmdir()   # the folder went away meanwhile
    assert restore_from_trash(entry, trash, sources) == "sub/b.txt"
    assert (sources / "sub" / "b.txt").read_text(encoding="utf-8") == "bài B"


def test_a_name_taken_in_the_trash_gets_a_variant_newest_first(folders, monkeypatch):
    sources, trash = folders
    clock = iter([1000.0, 2000.0])
    monkeypatch.setattr(uploads.time, "time", lambda: next(clock))
    first = move_to_trash("a.txt", sources, trash)
    (sources / "a.txt").write_text("bài A mới", encoding="utf-8")
    second = move_to_trash("a.txt", sources, trash)
    assert (first, second) == ("a.txt", "a~2.txt")
    assert [(e.name, e.original, e.deleted) for e in trash_entries(trash)] == \
        [("a~2.txt", "a.txt", 2000.0), ("a.txt", "a.txt", 1000.0)]
    assert (trash / "a.txt").read_text(encoding="utf-8") == "bài A"
    assert (trash / "a~2.txt").read_text(encoding="utf-8") == "bài A mới"


def test_restoring_onto_a_taken_name_keeps_both_files(folders):
    sources, trash = folders
    entry = move_to_trash("a.txt", sources, trash)
    (sources / "a.txt").write_text("một bài khác cùng tên", encoding="utf-8")
    restored = restore_from_trash(entry, trash, sources)
    assert restored == "a~2.txt"
    assert (sources / "a.txt").read_text(encoding="utf-8") == "một bài khác cùng tên"
    assert (sources / "a~2.txt").read_text(encoding="utf-8") == "bài A"


@pytest.mark.parametrize("source", ["../outside.txt", "sub/../../outside.txt", "", ".", "sub", "missing.txt",
                                    ".hidden.txt", "link.txt", "ABSOLUTE_A", "ABSOLUTE_OUTSIDE", "a.txt\x00"])
def test_a_path_trick_is_refused_and_nothing_moves(folders, source):
    sources, trash = folders
    outside = sources.parent / "outside.txt"
    outside.write_text("không được động tới", encoding="utf-8")
    (sources / ".hidden.txt").write_text("ẩn", encoding="utf-8")
    os.symlink(outside, sources / "link.txt")
    source = {"ABSOLUTE_A": str(sources / "a.txt"), "ABSOLUTE_OUTSIDE": str(outside)}.get(source, source)
    before = files_under(sources.parent)
    with pytest.raises(Rejected) as refused:
        move_to_trash(source, sources, trash)
    assert "không có bài viết" in refused.value.reason
    assert files_under(sources.parent) == before and trash_entries(trash) == []


@pytest.mark.parametrize("entry", ["../sources/a.txt", "../../outside.txt", "", "..", ".origins",
                                   ".origins/a.txt.json", "sub/a.txt", "missing.txt", "ABSOLUTE", "link.txt"])
def test_a_trash_entry_trick_is_refused_and_nothing_moves(folders, entry):
    sources, trash = folders
    move_to_trash("a.txt", sources, trash)
    (sources / "a.txt").write_text("bài mới", encoding="utf-8")
    outside = sources.parent / "outside.txt"
    outside.write_text("không được động tới", encoding="utf-8")
    os.symlink(outside, trash / "link.txt")
    entry = str(trash / "a.txt") if entry == "ABSOLUTE" else entry
    before = files_under(sources.parent)
    with pytest.raises(Rejected) as refused:
        restore_from_trash(entry, trash, sources)
    assert "thùng rác" in refused.value.reason
    assert files_under(sources.parent) == before


def test_a_tampered_origin_cannot_send_a_file_outside(folders):
    sources, trash = folders
    entry = move_to_trash("a.txt", sources, trash)
    (trash / ORIGINS / f"{entry}.json").write_text(json.dumps({"source": "../../evil.txt", "deleted_at": 1}))
    assert restore_from_trash(entry, trash, sources) == "a.txt"
    assert (sources / "a.txt").exists() and not (sources.parent.parent / "evil.txt").exists()


def test_a_file_put_in_the_trash_by_hand_is_listed_under_its_own_name(folders):
    sources, trash = folders
    trash.mkdir(parents=True)
    (trash / "c.txt").write_text("bài C", encoding="utf-8")
    [entry] = trash_entries(trash)
    assert (entry.name, entry.original) == ("c.txt", "c.txt")
    assert restore_from_trash("c.txt", trash, sources) == "c.txt"


@pytest.mark.parametrize("layout", ["same", "index inside sources", "apart"])
def test_ingest_never_reads_the_trash(tmp_path, layout):
    sources = tmp_path / "sources"
    index = {"same": sources, "index inside sources": sources / "index", "apart": tmp_path / "index"}[layout]
    settings = load_settings(sources_dir=sources, index_dir=index)
    sources.mkdir()
    (sources / "a.txt").write_text("bài A", encoding="utf-8")
    (sources / "b.txt").write_text("bài B", encoding="utf-8")
    move_to_trash("b.txt", sources, settings.trash_dir)
    (Path(settings.index_dir) / "catalog.sqlite3").write_bytes(b"SQLite")
    found = [p.relative_to(sources).as_posix() for p in discover(sources, not_articles(settings))]
    assert found == (["a.txt", "catalog.sqlite3"] if layout == "same" else ["a.txt"])


# ---------------------------------------------------------------- the service, on stand-ins for the index


def service(tmp_path: Path, rejected: tuple[str, str] | None = None) -> SimpleNamespace:
    """What `Assistant.delete/restore/trash` use, without a model: settings, a lock, an indexer whose
    ingest only reports, a retriever with nothing to refresh."""
    settings = load_settings(sources_dir=tmp_path / "sources", index_dir=tmp_path / "index")
    settings.sources_dir.mkdir()
    (settings.sources_dir / "a.txt").write_text("bài A", encoding="utf-8")
    report = IngestReport(rejected=[rejected] if rejected else [])
    return SimpleNamespace(settings=settings, _ingest_lock=threading.Lock(),
                           indexer=SimpleNamespace(ingest=lambda: report),
                           retriever=SimpleNamespace(refresh=lambda: None))


def test_the_service_deletes_to_the_trash_and_restores(tmp_path):
    fake = service(tmp_path)
    assert Assistant.delete(fake, "a.txt") == (True, f"a.txt: {DELETED}")
    assert "có thể khôi phục" in DELETED and "đã xóa" in DELETED
    assert [e.name for e in Assistant.trash(fake)] == ["a.txt"]
    assert Assistant.delete(fake, "../a.txt") == (False, "không có bài viết '../a.txt' trong thư mục bài viết")
    assert Assistant.restore(fake, "a.txt") == (True, f"a.txt: {RESTORED}")
    assert RESTORED == "đã khôi phục và lập chỉ mục lại"
    assert (fake.settings.sources_dir / "a.txt").exists() and Assistant.trash(fake) == []
    assert Assistant.restore(fake, "a.txt") == (False, "không có mục 'a.txt' trong thùng rác")


def test_a_restored_file_that_ingest_refuses_goes_back_to_the_trash(tmp_path):
    fake = service(tmp_path, rejected=("a.txt", "tệp quá lớn"))
    Assistant.delete(fake, "a.txt")
    assert Assistant.restore(fake, "a.txt") == (False, "a.txt: không khôi phục được — tệp quá lớn")
    assert not (fake.settings.sources_dir / "a.txt").exists()
    assert [e.original for e in Assistant.trash(fake)] == ["a.txt"]
