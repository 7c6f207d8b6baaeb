"""Errors whose message is meant for the user: one Vietnamese line saying what happened and the fix."""


class AssistantError(RuntimeError):
    """Base class; `str(error)` is the one-line message shown to the user."""


class IndexLocked(AssistantError):
    pass


class IndexCorrupt(AssistantError):
    pass


class IndexUnwritable(AssistantError):
    pass


class StoreUnavailable(AssistantError):
    pass


class ModelError(AssistantError):
    pass
