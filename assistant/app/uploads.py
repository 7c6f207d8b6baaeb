"""Adding and deleting article files from the UI, confined to the sources folder.

An upload is checked before anything is written (type, size, and a full parse: an article that
would be rejected is never stored), its name is sanitised (no path parts, no look-alike Unicode
tricks, no hidden or reserved names), and it is written atomically (a hidden temporary file renamed
into place), so a crash never leaves half a file for ingest to pick up.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

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


def delete_article(source: str, sources_dir: Path) -> Path:
    """Remove an article file (by its name relative to the sources folder)."""
    path = Path(sources_dir) / source
    if not source or not inside(sources_dir, path) or not path.is_file():
        raise Rejected(f"không có bài viết '{source}' trong thư mục bài viết")
    path.unlink()
    return path
