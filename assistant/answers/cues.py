"""What an answer of each kind looks like in a sentence (pure).

`cue(intent, text)` scores, from 0 to 1, how much a sentence has the shape the intent expects: a date
for "ngày nào", a venue after "tại" for "ở đâu", a person's name for "ai", a document number for
"căn cứ", a number for "bao nhiêu", a speech verb for "yêu cầu gì". `has_answer(intent, text)` is
the strict form used to decide that an article does not say: for the kinds with a definite answer
(date, period, document, chair, signer, money, count…) a sentence without that shape cannot answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answers.intents import Intent
from assistant.text.wording import LOWER, UPPER

_I = re.IGNORECASE
FULL_DATE = re.compile(r"(?<![\d/.-])\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}(?![\d/])")
WRITTEN_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}|tháng\s+\d{1,2}\s*(?:/|năm)\s*(?:19|20)\d{2}", _I)
SHORT_DATE = re.compile(r"(?:(?:ngày|hôm|sáng|chiều|tối|trưa|nay|đêm)\s*(?:nay\s*)?\(?\s*)(?<![\d/.-])\d{1,2}\s*[/.-]\s*"
                        r"\d{1,2}(?![\d/.-]*\d)|(?<![\d/.-])\d{1,2}/\d{1,2}(?![\d/])|\(\s*\d{1,2}[/.-]\d{1,2}\s*\)", _I)
LEGAL_DATE = re.compile(r"(?:\d+[\w./-]*/[\wĐđ.-]+|(?:quyết định|chỉ thị|nghị quyết|kế hoạch|kết luận|quy định|"
                        r"hướng dẫn|chương trình|thông tri|nghị định)\s+(?:số\s+)?\d+[\w./-]*|ban hành)"
                        r"[,\s]*(?:ngày|ký ngày)?\s*$", _I)
EVENT = re.compile(r"ký kết|tổ chức|diễn ra|hội nghị|\blễ\b|buổi|\bký\b|sơ kết|tổng kết|giao ban|họp|"
                   r"khai mạc|tiến hành", _I)
YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*(?:-|–|—|đến|tới)\s*(?:năm\s*)?(?:19|20)\d{2}(?!\d)", _I)
TERM = re.compile(r"nhiệm kỳ\s*(?:19|20)\d{2}", _I)
_DOC_WORD = (r"(?:Quyết định|Chỉ thị|Nghị quyết|Kế hoạch|Kết luận|Quy định|Chương trình|Hướng dẫn|Thông tri|"
             r"Nghị định|Quy chế|Thông báo|Văn bản|Luật|Thông tư|Đề án|Hiến pháp|Điều lệ|Thỏa thuận|Thoả thuận|"
             r"Bản ghi nhớ|Biên bản|Công văn)")
DOCUMENT = re.compile(rf"(?i:{_DOC_WORD})\s+(?:liên tịch\s+)?(?:số\s*|sô\s*)?\d+"
                      r"|(?<![\w/])\d+\s*-\s*[A-ZĐ][\w]*/[A-ZĐ]"
                      rf"|(?i:{_DOC_WORD})\s+(?:(?i:của|liên tịch|ngày|hợp tác|về|giữa)\s+)?[{UPPER}]"
                      rf"|(?i:{_DOC_WORD})\s+(?i:hợp tác|liên tịch)"
                      rf"|{_DOC_WORD}\s+(?i:giữa|của)\s")   # "Bản ghi nhớ giữa …": a named agreement
CHAIR = re.compile(r"chủ trì|điều hành", _I)
SIGN = re.compile(r"(?<!\w)ký(?!\w)|ký kết|ký tên", _I)
TITLE_MARK = (r"(?:(?i:đồng chí|đ/c|ông|bà)|Thiếu tướng|Trung tướng|Thượng tướng|Đại tướng|Đại tá|Thượng tá|"
              r"Trung tá|Thiếu tá)")
_CAP = rf"[{UPPER}][{LOWER}]*"
PERSON = re.compile(rf"(?<!\w){TITLE_MARK}:?\s+{_CAP}\s+{_CAP}"
                    rf"|(?<!\w)(?:{_CAP}\s+){{2,3}}{_CAP}(?=\s*[,(–-]\s*(?:Ủy viên|Uỷ viên|"
                    r"Bí thư|Phó|Trưởng|Chủ tịch|Giám đốc|Viện trưởng|Chánh|Tư lệnh|Chính ủy|Chỉ huy|Thiếu|Đại|"
                    r"Thượng|Trung|Cục|Tổng|Bộ trưởng|Thứ trưởng|Hiệu trưởng|Chủ nhiệm|Ủy|Uỷ))")
ATTEND = re.compile(r"tham dự|(?<!\w)dự(?! (?:thảo|án|toán|kiến|báo|phòng|định|trữ|bị|tính))(?!\w)|có mặt|chứng kiến|đại biểu|thành phần|khách mời", _I)
SPEECH = re.compile(r"phát biểu|đề nghị|yêu cầu|nhấn mạnh|lưu ý|chỉ đạo|đề xuất|kêu gọi|khẳng định|ghi nhận|"
                    r"biểu dương|đánh giá cao|quán triệt|mong muốn|chúc mừng|cho rằng|nêu rõ|giao nhiệm vụ|"
                    r"căn dặn|nhất trí|thống nhất", _I)
CONTENTS = re.compile(r"nội dung|gồm|bao gồm|tập trung|thống nhất|phối hợp (?:trong|về|thực hiện|tổ chức|tuyên truyền)|"
                      r"nhiệm vụ|lĩnh vực|trách nhiệm|quy định|cùng|tham mưu|triển khai|tuyên truyền|chú trọng", _I)
PURPOSE = re.compile(r"nhằm|(?<!\w)để(?!\w)|mục đích|mục tiêu|góp phần|căn cứ|(?<!\w)vì(?!\w)|ý nghĩa|"
                     r"bảo đảm|đảm bảo|hướng tới|tạo (?:sự|điều kiện)", _I)
RESULTS = re.compile(r"kết quả|đạt|hiệu quả|tích cực|chuyển biến|được (?:nâng|đẩy|đánh giá|biểu dương|khen)|"
                     r"xây dựng được|đã (?:tổ chức|phối hợp|tham mưu|xây dựng|giải quyết|vận động|ký)|"
                     r"\d+\s+(?:mô hình|vụ|cuộc|lượt|buổi|tin|bài|hội nghị|đợt|tập thể|cá nhân|hộ|người|%)|"
                     r"nổi bật|thiết thực|ghi nhận|chặt chẽ|nhịp nhàng", _I)
NUMBER = re.compile(rf"(?<![\w/.-])(?!(?:19|20)\d\d(?!\d))\d+(?:[.,]\d+)?(?:/\d+)?(?:\s*-\s*\d+)?\s*(?:%|[{LOWER}])"
                    r"|(?<!\w)(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|hàng trăm|hàng nghìn)\s+"
                    r"(?:mô hình|vụ|cuộc|lượt|đợt|nội dung|chương|điều|văn phòng)", _I)
MONEY = re.compile(r"\d[\d.,]*\s*(?:triệu|tỷ|tỉ|nghìn|ngàn)?\s*(?:đồng|VNĐ|VND)|kinh phí\s+(?:là|gồm|khoảng)?\s*\d", _I)
VENUE = re.compile(r"(?<!\w)(?i:tại|ở)\s+(?:(?i:hội trường|trụ sở|nhà văn hóa|nhà văn hoá|trung tâm|phòng họp|"
                   rf"khách sạn|nhà khách|học viện)|số\s+\d|\d+[a-z]?\s+[{UPPER}]|"
                   rf"(?:huyện|xã|phường|thị trấn|thị xã|quận|thành phố|TP\.?|tỉnh)\s+[{UPPER}0-9]|"
                   r"(?!(?i:hội nghị|lễ|buổi|cuộc|phiên|kỳ họp|đại hội|chương trình|quy chế)(?!\w))"
                   rf"[{UPPER}])")
YEAR = re.compile(r"(?:năm|cuối năm|đầu năm|trong năm)\s+(?:19|20)\d{2}(?!\d)", _I)
PLACE_WORD = re.compile(rf"(?<!\w)(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|TP)\s+[{UPPER}0-9]")
LIST = re.compile(r":\s*\S|;")


def _date_score(text: str, legal_ok: bool) -> float:
    best = 0.0
    for pattern in (FULL_DATE, WRITTEN_DATE, SHORT_DATE):
        for m in pattern.finditer(text):
            if not legal_ok and LEGAL_DATE.search(text[:m.start()]):
                continue
            best = max(best, 1.0 if EVENT.search(text) else 0.7)
    return best


def _period_score(text: str) -> float:
    for m in YEAR_RANGE.finditer(text):
        if not TERM.search(text[max(0, m.start() - 12):m.end()]):
            return 1.0
    if re.search(r"quý\s+[IVX1-4]+", text, _I):
        return 0.8
    if re.search(r"giai đoạn|năm\s+(?:19|20)\d{2}|đến năm|thời hạn|hiệu lực", text, _I):
        return 0.4
    return 0.0


BASIS = re.compile(r"căn cứ|trên cơ sở|thực hiện|triển khai|theo|nhằm|cụ thể hóa|cụ thể hoá", _I)


def _basis_score(text: str) -> float:
    """A numbered document, best when the sentence says the program rests on it ("Trên cơ sở …")."""
    m = DOCUMENT.search(text)
    if m:
        return 1.0 if BASIS.search(text[:m.start()]) else 0.8
    return 0.3 if BASIS.search(text) else 0.0


def _contents_score(text: str) -> float:
    """What a program covers: "Nội dung … gồm: …", a list, or the genre's verbs of cooperation."""
    score = 0.0
    if re.match(r"\W*nội dung", text, _I):
        score += 0.8
    elif re.search(r"nội dung", text, _I):
        score += 0.6
    elif CONTENTS.search(text):
        score += 0.4
    if LIST.search(text):
        score += 0.2
    if re.search(r"gồm|bao gồm|tập trung|như sau", text, _I):
        score += 0.2
    return min(1.0, score)


def count_agencies(text: str) -> int:
    heads = re.findall(r"(?<!\w)(?:Ban [A-ZĐ]|Sở [A-ZĐ]|Hội [A-ZĐ]|Công an|Tòa án|Toà án|Viện [Kk]iểm|HĐND|UBND|TAND|"
                       r"VKSND|MTTQ|UBMTTQ|Ủy ban|Uỷ ban|Bộ [A-ZĐ]|Đảng ủy|Đảng uỷ|Liên đoàn|Đoàn [A-ZĐ]|"
                       r"Văn phòng|Thanh tra|Đài|Báo [A-ZĐ]|Cục|Chi cục|Đồn|CLB|Câu lạc bộ|Quận Đoàn|Tỉnh đoàn|"
                       r"Thành đoàn|Huyện đoàn|LĐLĐ|BĐBP|BCHQS|Bộ CHQS|Hội LHPN|ban ngành|đoàn thể|"
                       r"các ngành|các cơ quan|các sở)", text)
    return len(heads)


def _parties_score(text: str) -> float:
    """More agencies named, more likely the sentence that lists the parties."""
    n = count_agencies(text)
    base = min(1.0, 0.25 * n)
    if base and re.search(r"(?<!\w)ký|giữa|phối hợp với|cùng với|(?<!\w)và(?!\w)", text, _I):
        base = min(1.0, base + 0.2)
    return base


def persons_in(text: str) -> int:
    return len(PERSON.findall(text))


def _attendee_score(text: str) -> float:
    n = persons_in(text)
    if n:
        return min(1.0, 0.7 + 0.1 * n + (0.2 if ATTEND.search(text) else 0.0))
    return 0.4 if ATTEND.search(text) else 0.0


def _place_score(text: str) -> float:
    if VENUE.search(text):
        return 1.0
    return 0.5 if PLACE_WORD.search(text) else 0.0


# "X (đã|cùng|tham gia) ký kết": someone signs; "lễ ký kết", "buổi ký kết" only name the event.
_SIGN_ACT = re.compile(r"(?<!lễ )(?<!Lễ )(?<!buổi )(?<!nghị )(?<!kiến )(?<!\w)(?:đã |cùng |tham gia |tiến hành )+ký"
                       r"|(?:thay mặt|đại diện)[^.;]{0,120}(?<!\w)ký(?!\w)", _I)


_EVENT_KY = re.compile(r"(?:lễ|buổi|nghị|kiến|cuộc)\s+$", _I)


def signs(text: str) -> bool:
    """Someone signs in the sentence: a "ký" that is not only the name of the event ("lễ ký kết")."""
    return any(not _EVENT_KY.search(text[:m.start()]) for m in re.finditer(r"(?<!\w)ký(?!\w)", text, _I))


def _signed_score(text: str) -> float:
    if not SIGN.search(text):
        return 0.0
    act = 0.3 if _SIGN_ACT.search(text) else 0.0
    if persons_in(text):
        return 1.0
    return min(1.0, (0.7 if count_agencies(text) else 0.4) + act)


SCORERS: dict[Intent, Callable[[str], float]] = {
    Intent.DATE: lambda t: _date_score(t, legal_ok=False),
    Intent.PLACE: _place_score,
    Intent.PERIOD: _period_score,
    Intent.PARTIES: _parties_score,
    Intent.SIGNED: _signed_score,
    Intent.CHAIRED: lambda t: 1.0 if CHAIR.search(t) else 0.0,
    Intent.ATTENDEES: _attendee_score,
    Intent.SPEECH: lambda t: 1.0 if SPEECH.search(t) else 0.0,
    Intent.CONTENTS: lambda t: _contents_score(t),
    Intent.PURPOSE: lambda t: 1.0 if PURPOSE.search(t) else 0.0,
    Intent.RESULTS: lambda t: min(1.0, 0.5 * len(RESULTS.findall(t))),
    Intent.LEGAL_BASIS: lambda t: _basis_score(t),
    Intent.AMOUNT: lambda t: 1.0 if MONEY.search(t) else 0.0,
    Intent.COUNT: lambda t: 1.0 if NUMBER.search(t) else 0.0,
    Intent.AUTHOR: lambda t: 0.0,
    Intent.BRIEFING: lambda t: 0.0,
    Intent.OTHER: lambda t: 0.0,
}

# Kinds whose answer has a definite shape: without it, a sentence does not answer.
DEFINITE = {Intent.DATE, Intent.PERIOD, Intent.LEGAL_BASIS, Intent.CHAIRED, Intent.SIGNED, Intent.AMOUNT,
            Intent.COUNT, Intent.ATTENDEES, Intent.PLACE}


def cue(intent: Intent, text: str, legal_dates: bool = False) -> float:
    if intent == Intent.DATE and legal_dates:
        return _date_score(text, legal_ok=True)
    return SCORERS[intent](text)


def has_answer(intent: Intent, text: str, legal_dates: bool = False, person: bool = False) -> bool:
    """Does the sentence have the shape of an answer of this kind (strictly)?"""
    if intent == Intent.SIGNED and person:
        return signs(text) and persons_in(text) > 0
    if intent == Intent.PERIOD:
        return _period_score(text) >= 0.8 or bool(re.search(r"(?:giai đoạn|năm)\s+(?:19|20)\d{2}", text, _I)
                                                   and not TERM.search(text))
    if intent == Intent.ATTENDEES:
        return persons_in(text) > 0 or bool(ATTEND.search(text) and count_agencies(text) > 0) or \
            bool(re.search(r"(?:đại diện|lãnh đạo) (?:các|của)", text, _I))
    if intent == Intent.CHAIRED:
        return bool(CHAIR.search(text))
    return cue(intent, text, legal_dates) >= 0.7

