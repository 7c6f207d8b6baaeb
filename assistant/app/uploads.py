"""Adding, deleting and restoring article files from the UI, confined to the sources folder.

An upload is checked before anything is written (type, size, and a full parse: an article that
would be rejected is never stored), its name is sanitised (no path parts, no look-alike Unicode
tricks, no hidden or reserved names), and it is written atomically (a hidden temporary file renamed
into place), so a crash never leaves half a file for ingest to pick up.

A deleted article is not unlinked but moved to a trash folder (`Settings.trash_dir`, in the index
folder), from where it can be restored. Each trash entry is the file itself, under its own file name
(`name~2.txt` when that name is taken in the trash); its original name in the sources folder (which
may include subfolders) and the time it was deleted are kept in a small JSON file of the same name in
the trash's hidden `.origins` folder. An entry without one (copied there by hand) is restored under its
own name. Every name given by a caller is confined: a source to the sources folder, an entry to the
trash folder; absolute paths, `..`, hidden parts and symbolic links are refused with `Rejected`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.errors import Rejected
from assistant.ingest.loading import SUPPORTED, check_size, file_hash, load_bytes

MAX_NAME = 120


def safe_filename(name: str) -> str:
    """A plain file name for an upload, or Rejected.

    NFKC first, so that full-width or other look-alike dots and slashes ("．．／") become the ASCII
    characters they imitate and are then removed with every path part.
    """
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    name = re.sub(r"[<>:\"|?*\x00-\x1f]", "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in SUPPORTED:
        raise Rejected(f"định dạng không hỗ trợ ({('.' + suffix) if dot else 'không có đuôi'}); "
                       f"chỉ nhận {', '.join(sorted(SUPPORTED))}")
    stem = re.sub(r"\s+", "_", stem).strip("._-")[:MAX_NAME] or "bai-viet"
    return f"{unicodedata.normalize('NFC', stem)}.{suffix.lower()}"


def inside(folder: Path, path: Path) -> bool:
    folder, path = Path(folder).resolve(), Path(path).resolve()
    return path.parent == folder or folder in path.parents


def save_upload(data: bytes, original_name: str, sources_dir: Path, max_bytes: int) -> tuple[Path, bool]:
    """Validate and store an uploaded article. Returns (path, created); created is False when the
    same content is already there under that name."""
    name = safe_filename(original_name)
    check_size(len(data), max_bytes)
    suffix = Path(name).suffix.lower()
    load_bytes(data, name, suffix)  # raises Rejected with the reason; nothing written yet
    sources_dir = Path(sources_dir)
    sources_dir.mkdir(parents=True, exist_ok=True)
    target = sources_dir / name
    digest = file_hash(data)
    counter = 1
    while target.exists():
        if file_hash(target.read_bytes()) == digest:
            return target, False
        target = sources_dir / f"{Path(name).stem}-{counter}{suffix}"
        counter += 1
    if not inside(sources_dir, target):
        raise Rejected("tên tệp không hợp lệ")
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".tmp", dir=sources_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target, True


ORIGINS = ".origins"   # inside the trash folder: `<entry>.json` = {"source": …, "deleted_at": …}


@dataclass(frozen=True)
class TrashEntry:
    """One deleted article waiting in the trash."""

    name: str        # its file name in the trash folder: what `restore_from_trash` takes
    original: str    # its source name (relative to the sources folder) before it was deleted
    deleted: float   # when it was deleted, in seconds since the epoch

    def deleted_text(self) -> str:
        """The deletion time as shown to a Vietnamese reader: "14/03/2024 09:05" (local time)."""
        return time.strftime("%d/%m/%Y %H:%M", time.localtime(self.deleted))


def _relative(name: str) -> PurePosixPath | None:
    """A name relative to a folder, or None for a path trick (empty, absolute, `..`, hidden parts)."""
    if not name or "\x00" in name:
        return None
    rel = PurePosixPath(name)
    if rel.is_absolute() or not rel.parts or any(part.startswith(".") for part in rel.parts):
        return None   # ".." and "." are hidden parts too
    return rel


def _free_name(folder: Path, name: str) -> Path:
    """`folder / name`, or `stem~2.suffix`, `stem~3.suffix`… when that is taken."""
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, counter = folder / name, 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem}~{counter}{suffix}"
        counter += 1
    return candidate


def _write_json(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".origin-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _origin(trash_dir: Path, entry: str) -> tuple[str, float | None]:
    """(original source name, deletion time) of an entry; its own name and None when unrecorded."""
    try:
        data = json.loads((trash_dir / ORIGINS / f"{entry}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return entry, None
    if not isinstance(data, dict):
        return entry, None
    source, when = data.get("source"), data.get("deleted_at")
    return (source if isinstance(source, str) and source else entry), \
        (float(when) if isinstance(when, int | float) else None)


def move_to_trash(source: str, sources_dir: Path, trash_dir: Path) -> str:
    """Move an article file (by its name relative to the sources folder) into the trash folder;
    returns its entry name there. Rejected, with nothing moved, when there is no such article."""
    sources_dir, trash_dir = Path(sources_dir), Path(trash_dir)
    rel = _relative(source)
    path = sources_dir / (rel or "")
    if rel is None or not inside(sources_dir, path) or inside(trash_dir, path) or path.is_symlink() \
            or not path.is_file():
        raise Rejected(f"không có bài viết '{source}' trong thư mục bài viết")
    (trash_dir / ORIGINS).mkdir(parents=True, exist_ok=True)
    target = _free_name(trash_dir, path.name)
    _write_json(trash_dir / ORIGINS / f"{target.name}.json", {"source": rel.as_posix(), "deleted_at": time.time()})
    shutil.move(str(path), str(target))   # a rename, or a copy when the index is on another disk
    return target.name


def restore_from_trash(entry: str, trash_dir: Path, sources_dir: Path) -> str:
    """Move a trash entry back to the sources folder under its original name (or `name~2.txt` when
    that is taken again, so both files are kept); returns the restored source name."""
    sources_dir, trash_dir = Path(sources_dir), Path(trash_dir)
    rel = _relative(entry)
    path = trash_dir / entry
    if rel is None or len(rel.parts) != 1 or not inside(trash_dir, path) or path.is_symlink() or not path.is_file():
        raise Rejected(f"không có mục '{entry}' trong thùng rác")
    target = _restore_target(sources_dir, _origin(trash_dir, rel.name)[0], rel.name)
    shutil.move(str(path), str(target))
    (trash_dir / ORIGINS / f"{rel.name}.json").unlink(missing_ok=True)
    return target.relative_to(sources_dir).as_posix()


def _restore_target(sources_dir: Path, original: str, entry: str) -> Path:
    """Where an entry goes back: its original place, else (a recorded name that is a path trick, or
    whose folder became a file or leads outside) the top of the sources folder; a free variant of
    the name when it is taken."""
    wanted = _relative(original)
    if wanted is not None and inside(sources_dir, sources_dir / wanted):
        folder = (sources_dir / wanted).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return _free_name(folder, wanted.name)
        except OSError:
            pass
    sources_dir.mkdir(parents=True, exist_ok=True)
    return _free_name(sources_dir, entry)


def trash_entries(trash_dir: Path) -> list[TrashEntry]:
    """What the trash holds, most recently deleted first."""
    trash_dir = Path(trash_dir)
    if not trash_dir.is_dir():
        return []
    entries = []
    for path in trash_dir.iterdir():
        if path.name.startswith(".") or path.is_symlink() or not path.is_file():
            continue
        source, when = _origin(trash_dir, path.name)
        entries.append(TrashEntry(path.name, source, path.stat().st_ctime if when is None else when))
    return sorted(entries, key=lambda e: (-e.deleted, e.name))
