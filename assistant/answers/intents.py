"""What a question asks: every kind of answer it wants, and whether it spans several articles (pure).

Patterns are written in accented Vietnamese and matched as whole words: on the lower-cased question
when it is typed with diacritics, on its folded form when it is not ("o dau" asks "ở đâu", but
"Gò Dầu" never does, and "phối hợp giữa" is not "phối hợp gì"). A question may ask several things
("… ở đâu, ngày nào?"): all of them are returned, in the order the question asks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from assistant.text.folding import fold, lower_tones


class Intent(str, Enum):
    DATE = "date"
    PLACE = "place"
    PERIOD = "period"
    PARTIES = "parties"
    SIGNED = "signed"
    CHAIRED = "chaired"
    ATTENDEES = "attendees"
    SPEECH = "speech"            # what a leader said, asked for, stressed
    CONTENTS = "contents"
    PURPOSE = "purpose"
    RESULTS = "results"
    LEGAL_BASIS = "legal_basis"
    AUTHOR = "author"
    AMOUNT = "amount"            # money: budgets, funding
    COUNT = "count"              # how many
    BRIEFING = "briefing"
    OTHER = "other"


# (intent, accented patterns). Order matters only for ties at the same position.
PATTERNS: list[tuple[Intent, list[str]]] = [
    (Intent.BRIEFING, [r"tóm tắt", r"tóm lược", r"bản tin", r"báo cáo nhanh", r"ghi chú nhanh", r"điểm tin",
                       r"tổng hợp (?:nhanh|giúp|lại)", r"soạn (?:giúp|nhanh|bản|\d+|ba|mấy)", r"ý chính",
                       r"chuẩn bị (?:họp|buổi|cuộc)", r"giới thiệu (?:nhanh|ngắn)", r"briefing"]),
    (Intent.AUTHOR, [r"tác giả", r"ai viết", r"người viết", r"phóng viên nào", r"bút danh"]),
    (Intent.AMOUNT, [r"kinh phí", r"ngân sách", r"bao nhiêu tiền", r"chi phí", r"nguồn vốn", r"số tiền",
                     r"tốn bao nhiêu"]),
    (Intent.CHAIRED, [r"chủ trì", r"điều hành hội nghị"]),
    (Intent.SIGNED, [r"ai ký", r"ai đã ký", r"người ký", r"ký tên", r"(?:đại diện|thay mặt)(?: \w+){0,3} ký",
                     r"ai (?:là )?(?:người )?đại diện", r"thay mặt", r"đặt bút", r"ai ký kết",
                     r"những ai ký", r"do ai ký", r"ký bởi"]),
    (Intent.SPEECH, [r"phát biểu (?:gì|những gì|như thế nào|thế nào|ra sao|về)", r"nói gì", r"yêu cầu(?! (?:gì|nào))",
                     r"đề nghị", r"chỉ đạo(?! (?:của|tây))", r"nhấn mạnh", r"lưu ý", r"đề xuất", r"kêu gọi",
                     r"quán triệt", r"ghi nhận", r"biểu dương", r"khẳng định", r"nêu ý kiến",
                     r"giao nhiệm vụ", r"căn dặn", r"mong muốn", r"đặt ra"]),
    (Intent.ATTENDEES, [r"ai dự", r"ai tham dự", r"(?<!chủ )dự (?:lễ|hội nghị|buổi|cuộc|và)", r"tham dự",
                        r"(?:đến|về|tới) dự", r"dự$",
                        r"có mặt", r"thành phần", r"(?:những|các) đại biểu (?:nào|dự|tham dự)",
                        r"đại biểu (?:nào|dự|tham dự|gồm)", r"những ai", r"lãnh đạo (?:\w+ )?nào",
                        r"là ai", r"ai là", r"chứng kiến", r"ai phát biểu", r"có những ai", r"người nào",
                        r"vị nào", r"chức vụ", r"chức danh", r"cương vị", r"giữ chức", r"ông nào", r"bà nào",
                        r"đồng chí nào", r"^ai\b", r"\bai (?:đã|đến|tới)", r"gồm những ai", r"có ai"]),
    (Intent.LEGAL_BASIS, [r"căn cứ", r"văn bản nào", r"văn bản gì",
                          r"(?:quyết định|chỉ thị|nghị quyết|kết luận|quy định|hướng dẫn|kế hoạch|thông tri)"
                          r" (?:nào|gì|số mấy|số bao nhiêu|số)",
                          r"theo văn bản", r"dựa (?:trên|vào) (?:văn bản|quyết định|chỉ thị|nghị quyết|kết luận)",
                          r"dựa trên (?:\w+ )?nào", r"triển khai văn bản", r"số hiệu", r"tên gọi đầy đủ",
                          r"(?:thực hiện|triển khai) (?:quyết định|chỉ thị|nghị quyết|kết luận) (?:nào|gì)",
                          r"cơ sở pháp lý", r"ban hành (?:kèm|theo)"]),
    (Intent.PERIOD, [r"giai đoạn (?:nào|mấy|bao lâu|tiếp theo|mới)", r"cho giai đoạn", r"áp dụng (?:cho )?giai đoạn",
                     r"thời hạn", r"bao nhiêu năm", r"mấy năm", r"đến năm nào", r"từ năm nào", r"hiệu lực",
                     r"kéo dài", r"thời gian thực hiện", r"trong (?:bao lâu|thời gian bao lâu)", r"quý nào",
                     r"thời kỳ nào", r"năm nào đến năm nào", r"giai đoạn$", r"giai đoạn gì"]),
    (Intent.DATE, [r"ngày nào", r"ngày mấy", r"ngày bao nhiêu", r"khi nào", r"bao giờ", r"hôm nào", r"lúc nào",
                   r"thời điểm nào", r"thời điểm", r"(?:vào )?thời gian nào", r"(?<!đến )năm nào", r"tháng nào",
                   r"ngày tháng", r"kèm thời gian", r"(?:ký|diễn ra|tổ chức|ban hành) (?:vào )?ngày",
                   r"thời gian (?:tổ chức|diễn ra|ký)", r"diễn ra khi", r"vào lúc nào", r"hồi nào"]),
    (Intent.PLACE, [r"ở đâu", r"tại đâu", r"đâu$", r"địa điểm", r"nơi nào", r"chỗ nào", r"nơi (?:tổ chức|diễn ra|ký)",
                    r"ở tỉnh nào", r"ở (?:huyện|quận|thành phố|xã|phường) nào", r"thuộc tỉnh nào", r"tỉnh nào",
                    r"(?:ở |tại |thuộc )?địa phương nào", r"ở (?:cấp|nơi) nào",
                    r"họp ở"]),
    (Intent.PARTIES, [r"(?:cơ quan|đơn vị|bên|ngành|tổ chức|lực lượng|đoàn thể|chủ thể) (?:nào|gì)",
                      r"(?:những|các) bên (?:nào|tham gia|ký)", r"giữa (?:những )?ai", r"với (?:những )?ai", r"ai với ai",
                      r"phối hợp với (?:những |các )?(?:ai|cơ quan|đơn vị|bên)",
                      r"những đơn vị", r"các đơn vị", r"những cơ quan", r"các cơ quan", r"giữa những",
                      r"liên tịch giữa"]),
    (Intent.PURPOSE, [r"mục đích", r"mục tiêu", r"nhằm (?:gì|mục đích|làm gì)", r"để làm gì", r"vì sao",
                      r"tại sao", r"lý do", r"ý nghĩa", r"cho rằng", r"vì lẽ gì", r"nhằm$"]),
    (Intent.COUNT, [r"bao nhiêu", r"mấy(?! năm)", r"số lượng", r"tổng số", r"gồm mấy", r"có mấy"]),
    (Intent.RESULTS, [r"kết quả", r"đạt được", r"thành tích", r"đánh giá", r"ra sao", r"như thế nào",
                      r"thế nào", r"hiệu quả", r"chuyển biến", r"làm được", r"xây dựng được", r"thành công",
                      r"khen thưởng", r"tồn tại", r"hạn chế"]),
    (Intent.CONTENTS, [r"nội dung", r"gồm những", r"bao gồm", r"những gì", r"việc gì", r"những việc",
                       r"tập trung (?:vào )?(?:việc |những |các )?(?:gì|nào|việc)", r"lĩnh vực", r"mảng",
                       r"vấn đề (?:gì|nào)", r"những vấn đề", r"nhiệm vụ", r"hoạt động (?:gì|nào)", r"cam kết",
                       r"làm gì", r"thống nhất (?:những|các|gì)", r"về việc gì", r"thông qua (?:những |các )?(?:gì|nội dung)",
                       r"chú trọng", r"ưu tiên", r"phối hợp (?:trong |về )?(?:những |các )?(?:gì|việc gì)",
                       r"(?:những|các) (?:việc|công việc|hoạt động|phần việc)", r"những điểm", r"các điểm",
                       r"quy định (?:về|những)", r"nguyên tắc(?: (?:gì|nào))?", r"(?:những )?yêu cầu (?:gì|nào)",
                       r"trách nhiệm (?:gì|nào)", r"\bgì\b"]),
]

# Several articles at once: "Trong các bài…", "Liệt kê…", "So sánh…", "Những chương trình nào…".
ACROSS_PATTERNS = [
    r"trong (?:các|những|bộ|tất cả các) bài", r"các bài (?:đã )?(?:lưu|có)", r"bộ bài", r"liệt kê", r"so sánh",
    r"(?:những|các|bao nhiêu) (?:chương trình|quy chế|bài|địa phương|tỉnh|huyện|hội nghị|buổi|lễ|nơi|cuộc)"
    r"(?:[^?.]{0,80}?) (?:nào|gì)",
    r"ở những đâu", r"những nơi nào", r"tất cả (?:các )?(?:chương trình|bài|quy chế)", r"khác nhau",
    r"giống nhau", r"(?:hai|ba|các) (?:chương trình|quy chế|bài)[^?]{0,60}(?:khác|giống|so)",
    r"(?:những|các) (?:tỉnh|địa phương|huyện) nào (?:đã )?(?:ký|có|tổ chức)",
    r"(?:có )?bao nhiêu (?:chương trình|quy chế|bài|địa phương|tỉnh|huyện|hội nghị|lễ ký)",
]


def _compile(pattern: str, folded: bool) -> re.Pattern:
    body = fold(pattern) if folded else lower_tones(pattern)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


_COMPILED = [(intent, [(_compile(p, False), _compile(p, True)) for p in pats]) for intent, pats in PATTERNS]
_ACROSS = [(_compile(p, False), _compile(p, True)) for p in ACROSS_PATTERNS]


@dataclass(frozen=True)
class IntentMatch:
    intent: Intent
    start: int
    end: int


def _prepare(question: str, accented: bool) -> str:
    text = lower_tones(question) if accented else fold(question)
    return " ".join(re.sub(r"[?!.,;:\"“”()\[\]]+", " ", text).split())


def find_intents(question: str, accented: bool) -> list[IntentMatch]:
    """Every intent the question asks, as the spans that ask it, first asked first."""
    text = _prepare(question, accented)
    found: list[IntentMatch] = []
    for intent, patterns in _COMPILED:
        for accented_re, folded_re in patterns:
            for m in (accented_re if accented else folded_re).finditer(text):
                found.append(IntentMatch(intent, m.start(), m.end()))
    return _resolve(found)


def _overlaps(a: IntentMatch, b: IntentMatch) -> bool:
    return a.start < b.end and b.start < a.end


def _resolve(found: list[IntentMatch]) -> list[IntentMatch]:
    """Keep the longest match where matches overlap, then drop intents that another subsumes."""
    kept: list[IntentMatch] = []
    for m in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(_overlaps(m, k) for k in kept):
            kept.append(m)
    kept.sort(key=lambda m: m.start)
    kinds = {m.intent for m in kept}
    drop: set[Intent] = set()
    if Intent.BRIEFING in kinds:
        drop |= kinds - {Intent.BRIEFING}
    if kinds & {Intent.SIGNED, Intent.CHAIRED}:
        drop.add(Intent.ATTENDEES)   # "ai chủ trì", "ai ký" ask for the chair/signer, not every attendee
    if Intent.AMOUNT in kinds:
        drop |= {Intent.COUNT, Intent.CONTENTS}
    if kinds & {Intent.CONTENTS, Intent.RESULTS, Intent.SPEECH, Intent.PURPOSE, Intent.LEGAL_BASIS,
                Intent.PARTIES, Intent.DATE, Intent.PERIOD, Intent.PLACE, Intent.ATTENDEES} - {Intent.CONTENTS}:
        # a bare "gì" only means contents when nothing more specific is asked
        drop |= {Intent.CONTENTS} if all(m.end - m.start <= 3 for m in kept if m.intent == Intent.CONTENTS) else set()
    result, seen = [], set()
    for m in kept:
        if m.intent in drop or m.intent in seen:
            continue
        seen.add(m.intent)
        result.append(m)
    return result


def asks_across(question: str, accented: bool) -> bool:
    """Does the question ask about several programs at once?"""
    text = _prepare(question, accented)
    return any((a if accented else f).search(text) for a, f in _ACROSS)
