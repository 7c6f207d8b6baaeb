"""The key each browser's chat history is encrypted with in its local storage (`gr.BrowserState`).

It is kept in the index folder, readable by this user only, so that a restart of the server keeps
everyone's history readable; a new key (and a warning) when the folder cannot be written.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path


def browser_key(index_dir: Path) -> str:
    """The key the browsers' chat history is encrypted with, kept with the index so that a restart
    keeps everyone's history readable."""
    path = Path(index_dir) / "ui-secret"
    try:
        return path.read_text(encoding="ascii").strip() or _new_key(path)
    except OSError:
        return _new_key(path)


def _new_key(path: Path) -> str:
    """A new key, readable by this user only from its first byte on. When the index folder cannot be
    written, the key lasts as long as the process (chats then do not survive a restart)."""
    value = secrets.token_hex(16)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(value)
    except OSError:
        logging.getLogger(__name__).warning("cannot keep the chat key in %s: chats will not survive a restart", path)
    return value
