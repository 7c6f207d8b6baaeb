"""Conversations as the browser keeps them, and the web actions over them, without a browser: what
is stored per turn, what a reload or another chat brings back, what the answerer remembers, and a
store edited by hand. The actions run over the in-memory corpus (no model)."""

from __future__ import annotations

import pytest
from conftest import SOURCES
from fakes import MemoryCorpus

from assistant.answers import Answer, Citation
from assistant.answers.answerer import Answerer
from assistant.answers.corpus import Filters
from assistant.app import chats
from assistant.app.web import WebActions, place_key


def answer(question: str, sources: list[str], refused: bool = False) -> Answer:
    cite = Citation(1, sources[0], "Tiêu đề", "", "01/02/2023", "câu trích", "đoạn có câu trích ở giữa", 7, 17)
    return Answer(question, "Trả lời [1]", refused, [] if refused else [cite], sources=[] if refused else sources,
                  intents=("attendees",))


def test_turns_are_kept_in_order_and_the_answerer_remembers_the_last_answered_one():
    store = chats.record(chats.empty_store(), answer("Ai dự lễ ở A?", ["a.txt"]))
    store = chats.record(store, answer("Kinh phí bao nhiêu?", ["a.txt"], refused=True))
    assert [t["question"] for t in chats.turns(store)] == ["Ai dự lễ ở A?", "Kinh phí bao nhiêu?"]
    remembered = chats.conversation(store)
    assert remembered.focus == ["a.txt"] and remembered.intents == ("attendees",)   # a refusal changes nothing
    assert chats.current_chat(store)["title"] == "Ai dự lễ ở A?"


def test_a_stored_answer_renders_as_it_was_answered():
    original = answer("Ai dự lễ ở A?", ["a.txt"])
    again = chats.answer_from_json(original.to_json())
    assert again.answer == original.answer and again.citations[0].quote == "câu trích"
    c = again.citations[0]
    assert c.text[c.quote_start:c.quote_end] == "câu trích"


def test_new_switch_delete_and_drop_last():
    first = chats.record(chats.empty_store(), answer("Câu một?", ["a.txt"]))
    first_id = first["current"]
    second = chats.record(chats.new_chat(first), answer("Câu hai?", ["b.txt"]))
    assert len(second["chats"]) == 2 and chats.conversation(second).focus == ["b.txt"]
    assert chats.new_chat(chats.new_chat(second))["chats"][0]["turns"] == []        # one empty chat, reused
    back = chats.switch(second, first_id)
    assert [t["question"] for t in chats.turns(back)] == ["Câu một?"]
    labels = [label for label, _id in chats.chat_choices(back)]
    assert labels[0].startswith("Câu hai?") and labels[1].startswith("Câu một?")     # newest first
    dropped, question = chats.drop_last(back)
    assert question == "Câu một?" and chats.turns(dropped) == []
    remaining = chats.delete_chat(back, first_id)
    assert [c["id"] for c in remaining["chats"]] != [first_id] and first_id not in {c["id"] for c in remaining["chats"]}


@pytest.mark.parametrize("garbage", [None, "x", [], {"chats": "x"}, {"chats": [{"id": 3}]},
                                     {"chats": [{"id": "a", "turns": [{"question": 1}, "x"]}], "current": "zz"}])
def test_a_store_edited_by_hand_becomes_a_valid_one(garbage):
    store = chats.valid(garbage)
    assert chats.turns(store) == [] and store["current"] in {c["id"] for c in store["chats"]}


def test_limits_keep_local_storage_bounded():
    store = chats.empty_store()
    for i in range(chats.MAX_TURNS + 5):
        store = chats.record(store, answer(f"Câu {i}?", ["a.txt"]))
    assert len(chats.turns(store)) == chats.MAX_TURNS and chats.turns(store)[-1]["question"] == f"Câu {chats.MAX_TURNS + 4}?"
    for _ in range(chats.MAX_CHATS + 3):
        store = chats.record(chats.new_chat(store), answer("Câu?", ["a.txt"]))
    assert len(store["chats"]) == chats.MAX_CHATS


class Service:
    """What `WebActions` asks of the service, over the in-memory corpus."""

    def __init__(self) -> None:
        self.corpus = MemoryCorpus(sorted(SOURCES.iterdir()))
        self.answerer = Answerer(self.corpus)
        self.retriever = self.corpus
        self.ratings: list[tuple] = []

    def programs(self) -> list:
        return list(self.corpus.articles.values())

    def stream(self, question, conversation, filters):
        result = self.answerer.answer(question, conversation, filters)
        yield from result.answer.splitlines(keepends=True)
        yield result

    def feedback(self, rating, comment, question, answer_text, citations) -> int:
        self.ratings.append((rating, question, answer_text))
        return len(self.ratings)

    def trash(self) -> list:
        return []


@pytest.fixture(scope="module")
def actions(tmp_path_factory):
    web = WebActions(Service(), tmp_path_factory.mktemp("ui"))
    yield web
    web.close()


def test_a_conversation_through_the_web_actions(actions):
    *_, (shown, store) = actions.respond("Ai dự lễ ký kết ở Quảng Bình?", None, Filters())
    assert "Lê Văn Bảo" in shown[-1]["content"] and len(chats.turns(store)) == 1
    *_, (shown, store) = actions.respond("Còn ở Phú Bình thì sao?", store, Filters())   # a follow-up
    assert "Nguyễn Thị Loan" in shown[-1]["content"]
    assert len(actions.history(store)) == 4                       # a reload shows both turns
    *_, (again, store) = actions.regenerate(store, Filters())
    assert len(chats.turns(store)) == 2 and "Nguyễn Thị Loan" in again[-1]["content"]
    status, rating = actions.feedback(store, 3, liked=False)
    assert rating == 1 and actions.service.ratings[-1][:2] == ("down", "Còn ở Phú Bình thì sao?")
    downloads = actions.export(store)
    assert downloads.markdown and "Phú Bình" in downloads.markdown.read_text(encoding="utf-8")
    assert downloads.docx and downloads.docx.stat().st_size > 0


def test_hostile_questions_are_cleaned_before_they_are_shown_or_kept(actions):
    *_, (shown, store) = actions.respond("Ai dự lễ ký kết ở Quảng Bình?\u202e\x07", None, Filters())
    assert "\u202e" not in shown[0]["content"] and "\x07" not in chats.turns(store)[0]["question"]


def test_the_whole_article_behind_a_citation(actions):
    view = actions.article('{"source": "004_deced359ded4c1cd.txt", "quote": "Toàn cảnh buổi ký kết."}')
    assert '<mark id="article-quote">Toàn cảnh buổi ký kết.</mark>' in view
    assert "không còn trong kho" in actions.article('{"source": "../secret.txt"}')
    assert "không hợp lệ" in actions.article("{not json")


def test_places_sort_by_name_not_by_unit_word():
    names = ["Đồng Tháp", "huyện Phú Bình", "Cần Thơ", "thành phố Ngã Bảy", "An Giang"]
    assert sorted(names, key=place_key) == ["An Giang", "Cần Thơ", "Đồng Tháp", "thành phố Ngã Bảy",
                                            "huyện Phú Bình"]


class Failing(Service):
    def stream(self, question, conversation, filters):
        from assistant.errors import StoreUnavailable

        yield "Đang "
        raise StoreUnavailable("Không kết nối được máy chủ Chroma.")


def test_an_error_is_kept_as_a_turn_and_a_failed_regeneration_keeps_the_old_answer(actions, tmp_path):
    *_, (_shown, store) = actions.respond("Ai dự lễ ký kết ở Quảng Bình?", None, Filters())
    failing = WebActions(Failing(), tmp_path)
    try:
        *_, (shown, after) = failing.regenerate(store, Filters())
        assert "Không kết nối được máy chủ Chroma" in shown[-1]["content"]
        assert chats.turns(after) == chats.turns(store)                  # the old answer stays
        *_, (_shown, failed) = failing.respond("Ai chủ trì?", store, Filters())
        last = chats.turns(failed)[-1]
        assert last["answer"]["refused"] and "Chroma" in last["answer"]["answer"]   # kept, in order
        assert len(failing.history(failed)) == 4
    finally:
        failing.close()


def test_a_store_with_wrong_field_types_still_renders(actions):
    store = {"current": "a", "chats": [{"id": "a", "updated": "x", "turns": [
        {"question": "Câu?", "intents": 5, "sources": "a.txt",
         "answer": {"answer": "Trả lời [1]", "citations": ["x", {"n": "x", "quote": 3, "text": None}]}}]}]}
    clean = chats.valid(store)
    assert chats.current_chat(clean)["updated"] == 0.0
    [turn] = chats.turns(clean)
    assert turn["intents"] == [] and turn["sources"] == [] and turn["answer"]["citations"][0]["n"] == 1
    assert "Trả lời" in actions.history(store)[1]["content"]
    assert chats.conversation(clean).focus == []


def test_the_chat_key_is_kept_with_the_index_and_private(tmp_path):
    from assistant.app.browser_key import browser_key

    key = browser_key(tmp_path / "index")
    assert len(key) == 32 and browser_key(tmp_path / "index") == key          # a restart reads the same key
    assert (tmp_path / "index" / "ui-secret").stat().st_mode & 0o777 == 0o600
