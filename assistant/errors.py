"""Every error meant for the user, under one base class: `str(error)` is one Vietnamese line saying
what happened and the fix. Anything else escaping a stage is a bug and is logged as one."""


class AssistantError(RuntimeError):
    """Base class; `str(error)` is the one-line message shown to the user."""


class SettingsError(AssistantError):
    """A configuration value that cannot be used."""


class Rejected(AssistantError):
    """A file that cannot be indexed; `reason` is a short Vietnamese explanation (the caller adds
    the file's name)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class InvalidInput(AssistantError):
    """A value sent by the user that cannot be stored (a feedback rating other than up or down)."""


class IndexLocked(AssistantError):
    """Another process holds the index."""


class IndexMissing(AssistantError):
    """No index yet, or one built by an earlier version: the message says to run ingest."""


class IndexCorrupt(AssistantError):
    """The index cannot be read; the message says how to rebuild it."""


class IndexUnwritable(AssistantError):
    """The index folder cannot be written (permissions, a full disk)."""


class StoreUnavailable(AssistantError):
    """The Chroma server cannot be reached or refuses access."""


class ModelError(AssistantError):
    """The embedding model cannot be built or loaded."""


class EvalFileError(AssistantError):
    """A malformed question file; the message names the line."""
