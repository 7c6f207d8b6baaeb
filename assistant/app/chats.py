"""Conversations as the browser keeps them: plain JSON (in the browser's local storage, per browser;
the server keeps no chat), re-rendered on load and rebuilt into the answerer's `Conversation`.

A store is `{"current": id, "chats": [{"id", "title", "updated", "turns": [turn, …]}, …]}` and a turn
is `{"question", "answer": Answer.to_json(), "sources", "intents"}`. Everything read back is checked:
a store edited by hand or from an older version becomes an empty one, never an error.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from assistant.answers import Answer, Citation, Conversation

MAX_CHATS = 20          # oldest chats are dropped beyond this (local storage holds a few MB)
MAX_TURNS = 25          # per chat
TITLE_CHARS = 60

Store = dict[str, Any]
Turn = dict[str, Any]


def empty_store() -> Store:
    chat = _new_chat()
    return {"current": chat["id"], "chats": [chat]}


def _new_chat() -> dict[str, Any]:
    return {"id": uuid.uuid4().hex[:12], "title": "", "updated": time.time(), "turns": []}


def valid(store: Any) -> Store:
    """The store if it has the expected shape (unknown keys dropped), else a new empty one."""
    if not isinstance(store, dict) or not isinstance(store.get("chats"), list):
        return empty_store()
    chats = []
    for chat in store["chats"][:MAX_CHATS]:
        if not isinstance(chat, dict) or not isinstance(chat.get("id"), str):
            continue
        raw = chat.get("turns")
        turns = [t for t in map(_turn, raw if isinstance(raw, list) else []) if t is not None][-MAX_TURNS:]
        chats.append({"id": chat["id"][:32], "title": str(chat.get("title", ""))[:TITLE_CHARS],
                      "updated": _number(chat.get("updated")), "turns": turns})
    if not chats:
        return empty_store()
    current = store.get("current")
    if current not in {c["id"] for c in chats}:
        current = chats[0]["id"]
    return {"current": current, "chats": chats}


def _number(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _turn(turn: Any) -> Turn | None:
    """A stored turn rebuilt field by field with the types the page needs, or None if it is not one."""
    answer = turn.get("answer") if isinstance(turn, dict) else None
    if not (isinstance(turn, dict) and isinstance(turn.get("question"), str) and isinstance(answer, dict)
            and isinstance(answer.get("answer"), str)):
        return None
    citations: list[dict[str, Any]] = []
    for c in _list(answer.get("citations")):
        if isinstance(c, dict):
            n = c.get("n")
            page = c.get("page")
            citations.append({"n": n if isinstance(n, int) else len(citations) + 1,
                              **{k: str(c.get(k, "")) for k in ("source", "title", "url", "date", "quote", "text")},
                              **({"page": page} if isinstance(page, int) else {})})
    return {"question": turn["question"],
            "answer": {"question": str(answer.get("question", turn["question"])), "answer": answer["answer"],
                       "refused": bool(answer.get("refused")), "citations": citations,
                       "seconds": _number(answer.get("seconds"))},
            "sources": [str(s) for s in _list(turn.get("sources"))],
            "intents": [str(i) for i in _list(turn.get("intents"))]}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def current_chat(store: Store) -> dict[str, Any]:
    return next(c for c in store["chats"] if c["id"] == store["current"])


def turns(store: Store) -> list[Turn]:
    return list(current_chat(store)["turns"])


def new_chat(store: Store) -> Store:
    """Start a new conversation (an empty current chat is reused)."""
    store = valid(store)
    if not current_chat(store)["turns"]:
        return store
    chat = _new_chat()
    return {"current": chat["id"], "chats": [chat, *store["chats"]][:MAX_CHATS]}


def switch(store: Store, chat_id: str | None) -> Store:
    store = valid(store)
    if chat_id in {c["id"] for c in store["chats"]}:
        store["current"] = chat_id
    return store


def delete_chat(store: Store, chat_id: str | None) -> Store:
    store = valid(store)
    chats = [c for c in store["chats"] if c["id"] != chat_id]
    if not chats:
        return empty_store()
    current = store["current"] if store["current"] != chat_id else chats[0]["id"]
    return {"current": current, "chats": chats}


def record(store: Store, answer: Answer) -> Store:
    """The store with this answer appended to the current chat, which moves to the top."""
    store = valid(store)
    chat = current_chat(store)
    chat["turns"] = [*chat["turns"], {"question": answer.question, "answer": answer.to_json(),
                                      "sources": list(answer.sources), "intents": list(answer.intents)}][-MAX_TURNS:]
    chat["title"] = chat["title"] or answer.question[:TITLE_CHARS]
    chat["updated"] = time.time()
    store["chats"] = [chat, *(c for c in store["chats"] if c["id"] != chat["id"])]
    return store


def drop_last(store: Store) -> tuple[Store, str]:
    """The store without the current chat's last turn, and that turn's question (to ask again)."""
    store = valid(store)
    chat = current_chat(store)
    if not chat["turns"]:
        return store, ""
    last = chat["turns"][-1]
    chat["turns"] = chat["turns"][:-1]
    return store, last["question"]


def conversation(store: Store) -> Conversation:
    """What the answerer remembers of the current chat: the articles and intents of its last answer."""
    chat = Conversation()
    for turn in turns(store):
        if not turn["answer"].get("refused") and turn.get("sources"):
            chat.focus = [str(s) for s in turn["sources"]]
            chat.intents = tuple(str(i) for i in turn.get("intents", []))
    return chat


def chat_choices(store: Store) -> list[tuple[str, str]]:
    """(label, id) of the chats, newest first, for the history list."""
    out = []
    for chat in sorted(store["chats"], key=lambda c: c["updated"], reverse=True):
        when = time.strftime("%d/%m %H:%M", time.localtime(chat["updated"])) if chat["updated"] else ""
        out.append((f"{chat['title'] or 'Cuộc trò chuyện mới'} — {when}".strip(" —"), chat["id"]))
    return out


def answer_from_json(data: dict[str, Any]) -> Answer:
    """An answer as `Answer.to_json()` wrote it (the quote offsets are found again in the passage)."""
    citations: list[Citation] = []
    for c in data.get("citations", []):
        text, quote = str(c.get("text", "")), str(c.get("quote", ""))
        start = max(0, text.find(quote))
        citations.append(Citation(int(c.get("n", len(citations) + 1)), str(c.get("source", "")),
                                  str(c.get("title", "")), str(c.get("url", "")), str(c.get("date", "")),
                                  quote, text, start, start + len(quote) if quote in text else start,
                                  c["page"] if isinstance(c.get("page"), int) else None))
    return Answer(str(data.get("question", "")), str(data.get("answer", "")), bool(data.get("refused")), citations)
