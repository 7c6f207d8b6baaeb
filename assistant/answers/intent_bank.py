"""A nearest-neighbour intent classifier: example phrasings of each kind of question, embedded once
with the e5 model, compared with the question's own embedding (already computed for retrieval).

It stands beside the patterns of `intents`: when no pattern recognises a question, the nearest
examples say what it most likely asks (`Answerer` uses it only above `MIN_SIMILARITY`). The examples
are written for the genre, not taken from any article or evaluation question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from assistant.answers.intents import Intent

K = 5
MIN_SIMILARITY = 0.86   # cosine (e5 query-query) below which the nearest examples are not trusted

EXAMPLES: dict[Intent, list[str]] = {
    Intent.DATE: [
        "Lễ ký kết được tổ chức vào ngày nào?", "Hội nghị diễn ra khi nào?", "Chương trình được ký hôm nào?",
        "Thời điểm ký kết quy chế là lúc nào?", "ký kết vào thời gian nào", "Buổi sơ kết tổ chức ngày mấy?",
        "Văn bản được ban hành ngày tháng năm nào?", "hoi nghi to chuc vao ngay nao",
    ],
    Intent.PLACE: [
        "Lễ ký kết diễn ra ở đâu?", "Hội nghị được tổ chức tại địa điểm nào?", "Buổi ký kết ở hội trường nào?",
        "Chương trình được ký ở địa phương nào?", "Họp tại đâu?", "ky ket o dau",
    ],
    Intent.PERIOD: [
        "Chương trình phối hợp thực hiện trong giai đoạn nào?", "Quy chế có hiệu lực đến năm nào?",
        "Thời hạn của chương trình là bao lâu?", "Chương trình áp dụng cho những năm nào?",
        "Giai đoạn tiếp theo là giai đoạn nào?", "chuong trinh phoi hop giai doan nao",
    ],
    Intent.PARTIES: [
        "Những cơ quan nào ký chương trình phối hợp?", "Chương trình được ký giữa các đơn vị nào?",
        "Ban Tuyên giáo ký với những ai?", "Các bên tham gia quy chế là những bên nào?",
        "Đơn vị nào phối hợp với Ban Dân vận?", "nhung don vi nao ky ket",
    ],
    Intent.SIGNED: [
        "Ai là người ký chương trình?", "Ai đại diện ký kết quy chế?", "Người ký thay mặt cơ quan là ai?",
        "Ai đặt bút ký văn bản phối hợp?", "ai ky chuong trinh phoi hop",
    ],
    Intent.CHAIRED: [
        "Ai chủ trì hội nghị?", "Hội nghị do ai chủ trì?", "Người điều hành buổi làm việc là ai?",
        "chu tri hoi nghi la ai",
    ],
    Intent.ATTENDEES: [
        "Những ai dự lễ ký kết?", "Đại biểu nào tham dự hội nghị?", "Lãnh đạo nào có mặt tại buổi lễ?",
        "Thành phần tham dự gồm những ai?", "Ai phát biểu khai mạc?", "Ông ấy giữ chức vụ gì?",
        "nhung ai du le ky ket",
    ],
    Intent.SPEECH: [
        "Lãnh đạo tỉnh yêu cầu các bên làm gì?", "Đồng chí Bí thư phát biểu những gì?",
        "Phó Chủ tịch đề nghị điều gì tại hội nghị?", "Lãnh đạo nhấn mạnh nhiệm vụ nào?",
        "Trưởng ban chỉ đạo gì sau buổi ký?", "lanh dao de nghi gi tai hoi nghi",
    ],
    Intent.CONTENTS: [
        "Chương trình phối hợp gồm những nội dung gì?", "Hai bên phối hợp trong những lĩnh vực nào?",
        "Quy chế quy định những gì?", "Nội dung trọng tâm của chương trình là gì?",
        "Các bên cam kết thực hiện những việc gì?", "noi dung phoi hop gom nhung gi",
    ],
    Intent.PURPOSE: [
        "Việc ký kết nhằm mục đích gì?", "Vì sao hai cơ quan ký quy chế phối hợp?",
        "Mục tiêu của chương trình là gì?", "Chương trình được xây dựng để làm gì?", "ky ket nham muc dich gi",
    ],
    Intent.RESULTS: [
        "Chương trình phối hợp đạt được những kết quả gì?", "Kết quả thực hiện chương trình ra sao?",
        "Sau một năm phối hợp đã làm được gì?", "Công tác phối hợp được đánh giá như thế nào?",
        "Có bao nhiêu mô hình được xây dựng?", "ket qua phoi hop the nao",
    ],
    Intent.LEGAL_BASIS: [
        "Chương trình được ký căn cứ vào văn bản nào?", "Quy chế thực hiện theo quyết định nào?",
        "Việc ký kết triển khai chỉ thị nào của Trung ương?", "Cơ sở pháp lý của chương trình là gì?",
        "Số hiệu văn bản là gì?", "can cu van ban nao",
    ],
    Intent.AUTHOR: ["Ai viết bài này?", "Tác giả bài báo là ai?", "Phóng viên nào đưa tin?"],
    Intent.AMOUNT: ["Kinh phí thực hiện là bao nhiêu?", "Ngân sách dành cho chương trình bao nhiêu tiền?",
                    "Chi phí tổ chức là bao nhiêu?"],
    Intent.BRIEFING: ["Tóm tắt giúp tôi chương trình này", "Soạn ghi chú nhanh để chuẩn bị họp",
                      "Tổng hợp các ý chính về buổi ký kết", "tom tat nhanh le ky ket"],
}


class IntentBank:
    """Example phrasings embedded once; `classify(vector)` votes among the nearest."""

    def __init__(self, embed_queries: Callable[[list[str]], np.ndarray]):
        self._embed = embed_queries
        self._lock = threading.Lock()
        self._vectors: np.ndarray | None = None
        self._labels: list[Intent] = []

    def _ready(self) -> np.ndarray:
        with self._lock:
            if self._vectors is None:
                texts, labels = [], []
                for intent, examples in EXAMPLES.items():
                    texts += examples
                    labels += [intent] * len(examples)
                self._vectors = np.asarray(self._embed(texts), dtype=np.float32)
                self._labels = labels
            return self._vectors

    def classify(self, vector: np.ndarray) -> list[tuple[Intent, float]]:
        """Intents by the summed similarity of the question's K nearest examples, best first, each
        with the similarity of its nearest example."""
        vectors = self._ready()
        sims = vectors @ np.asarray(vector, dtype=np.float32)
        nearest = np.argsort(-sims)[:K]
        votes: dict[Intent, float] = {}
        best: dict[Intent, float] = {}
        for i in nearest:
            intent = self._labels[i]
            votes[intent] = votes.get(intent, 0.0) + float(sims[i])
            best[intent] = max(best.get(intent, 0.0), float(sims[i]))
        return [(intent, best[intent]) for intent in sorted(votes, key=lambda i: votes[i], reverse=True)]


# The evaluation file's question types and the intents that answer them.
TYPE_INTENTS: dict[str, set[Intent]] = {
    "attendees": {Intent.ATTENDEES}, "chaired": {Intent.CHAIRED}, "signed": {Intent.SIGNED},
    "date": {Intent.DATE}, "place": {Intent.PLACE}, "period": {Intent.PERIOD}, "parties": {Intent.PARTIES},
    "contents": {Intent.CONTENTS}, "purpose": {Intent.PURPOSE}, "results": {Intent.RESULTS, Intent.COUNT},
    "legal_basis": {Intent.LEGAL_BASIS}, "speaker_directive": {Intent.SPEECH}, "briefing": {Intent.BRIEFING},
    "author": {Intent.AUTHOR},
}


def compare(questions: list[dict], embed_query: Callable[[str], np.ndarray],
            embed_queries: Callable[[list[str]], np.ndarray]) -> dict:
    """How often each way of recognising intents finds the question's type: the patterns (any intent
    they return), the nearest examples (the first), and both (the patterns, the examples when no
    pattern applies)."""
    from assistant.answers.intents import find_intents
    from assistant.app.evaluation import has_diacritics

    bank = IntentBank(embed_queries)
    n = patterns = nearest = both = 0
    for item in questions:
        wanted = TYPE_INTENTS.get(item["type"])
        if not wanted:
            continue
        n += 1
        found = [m.intent for m in find_intents(item["question"], has_diacritics(item["question"]))]
        ranked = bank.classify(embed_query(item["question"]))
        patterns += bool(set(found) & wanted)
        nearest += ranked[0][0] in wanted
        fallback = found or ([ranked[0][0]] if ranked[0][1] >= MIN_SIMILARITY else [])
        both += bool(set(fallback) & wanted)
    share = (lambda k: round(k / n, 3)) if n else (lambda k: None)
    return {"n": n, "patterns": share(patterns), "nearest_examples": share(nearest), "both": share(both)}
