"""Synthetic articles of the genre, for the benchmark: thousands of signings that read like the real ones.

Each generated article varies the place (province, or a district of it), the party board and its
partners, the date, the period, the legal basis, the attendees and their roles, the content
items and the web residue around the text, in the sentence patterns of real reports (dateline,
title, lead with "tổ chức lễ ký kết chương trình phối hợp … giai đoạn …", "Dự lễ ký kết có các
đồng chí: …", content list, speeches, signing sentence). Generation is deterministic for a seed.

Every article also carries the facts it was written from, and questions about it with the
article as the expected source, so the benchmark can score retrieval on articles it never saw.
The (place, board, partner, year) of every article is unique, so each question has one right
article; names are drawn so that no article repeats an evidence string of `eval/questions.jsonl`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.text.folding import fold
from assistant.text.gazetteer import CENTRAL_CITIES, PROVINCES

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn", "Trương", "Lâm", "Mai", "Trịnh", "Đào", "Cao",
            "Lương", "Hà", "Tạ", "Châu", "Thái", "Lưu", "Vương", "Kiều", "La", "Mạc", "Nông", "Phùng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Hoàng", "Công", "Đình",
          "Thế", "Trọng", "Kim", "Anh", "Quốc", "Tiến", "Hồng", "Việt", "Bá", "Duy", "Mạnh", "Phước"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương",
         "Khải", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nghĩa", "Ngân", "Phong", "Phúc",
         "Phương", "Quân", "Quý", "Sơn", "Tâm", "Tân", "Thắng", "Thành", "Thảo", "Thịnh", "Thu", "Thủy",
         "Tiến", "Toàn", "Trang", "Trí", "Trung", "Tuấn", "Tùng", "Uyên", "Vân", "Vinh", "Xuyên", "Yến"]
DISTRICT_NAMES = ["Phú Bình", "Đồng Hỷ", "Đại Từ", "Tân Yên", "Lục Nam", "Yên Thế", "Thạch Hà", "Can Lộc",
                  "Hương Sơn", "Quảng Trạch", "Bố Trạch", "Lệ Thủy", "Châu Thành", "Cai Lậy", "Gò Công Tây",
                  "Mỏ Cày Nam", "Chợ Lách", "Tam Nông", "Lai Vung", "Thoại Sơn", "Tri Tôn", "Vĩnh Thạnh",
                  "Phong Điền", "Cờ Đỏ", "Long Mỹ", "Kế Sách", "Mỹ Tú", "Hòa Bình", "Đầm Dơi", "Năm Căn",
                  "Krông Pắc", "Ea Kar", "Chư Sê", "Đắk Hà", "Bảo Lâm", "Di Linh", "Tánh Linh", "Hàm Tân",
                  "Ninh Hải", "Tuy An", "Sơn Hòa", "Ba Tơ", "Nghĩa Hành", "Thăng Bình", "Núi Thành",
                  "Hải Lăng", "Triệu Phong", "Quỳnh Lưu", "Diễn Châu", "Thọ Xuân", "Nga Sơn", "Kim Sơn",
                  "Ý Yên", "Tiền Hải", "Kiến Xương", "Gia Lộc", "Văn Lâm", "Tiên Du", "Lập Thạch",
                  "Thanh Sơn", "Văn Chấn", "Bắc Hà", "Mường Tè", "Tuần Giáo", "Mộc Châu", "Bảo Lạc",
                  "Chợ Đồn", "Tràng Định", "Bình Liêu", "Ba Chẽ", "Kỳ Sơn", "Lạc Sơn"]
BOARDS = [  # (board, its short subject)
    ("Ban Tuyên giáo", "công tác tuyên giáo"),
    ("Ban Dân vận", "công tác dân vận"),
    ("Ban Nội chính", "công tác nội chính và phòng, chống tham nhũng, tiêu cực"),
    ("Ban Tổ chức", "công tác tổ chức, cán bộ"),
    ("Ủy ban Kiểm tra", "công tác kiểm tra, giám sát"),
]
PARTNERS = [  # (full name, abbreviation used in roles)
    ("Tòa án nhân dân", "TAND"), ("Viện Kiểm sát nhân dân", "VKSND"), ("Hội đồng nhân dân", "HĐND"),
    ("Ủy ban nhân dân", "UBND"), ("Công an", "Công an"), ("Sở Tư pháp", "Sở Tư pháp"),
    ("Cục Thi hành án dân sự", "Cục THADS"), ("Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban MTTQ"),
    ("Hội Nông dân", "Hội Nông dân"), ("Hội Liên hiệp Phụ nữ", "Hội LHPN"),
    ("Liên đoàn Lao động", "LĐLĐ"), ("Báo", "Báo"), ("Đài Phát thanh và Truyền hình", "Đài PT-TH"),
]
PARTNER_HEADS = {"TAND": "Chánh án", "VKSND": "Viện trưởng", "HĐND": "Chủ tịch", "UBND": "Chủ tịch",
                 "Công an": "Giám đốc", "Sở Tư pháp": "Giám đốc", "Cục THADS": "Cục trưởng",
                 "Ủy ban MTTQ": "Chủ tịch", "Hội Nông dân": "Chủ tịch", "Hội LHPN": "Chủ tịch",
                 "LĐLĐ": "Chủ tịch", "Báo": "Tổng Biên tập", "Đài PT-TH": "Giám đốc"}
LEGAL = [
    "Quyết định số 238-QĐ/TW, ngày 30/9/2020 của Ban Bí thư Trung ương Đảng về ban hành Quy chế phối hợp "
    "giữa ban tuyên giáo các cấp với cơ quan nhà nước cùng cấp",
    "Quy chế số 23-QC/TW của Ban Bí thư về công tác dân vận của hệ thống chính trị",
    "Kết luận số 114-KL/TW, ngày 14/7/2015 của Ban Bí thư về nâng cao chất lượng, hiệu quả công tác dân vận "
    "của cơ quan nhà nước",
    "Quy định số 132-QĐ/TW của Bộ Chính trị về kiểm soát quyền lực, phòng, chống tham nhũng trong hoạt động "
    "điều tra, truy tố, xét xử, thi hành án",
    "Chỉ thị số 04-CT/TW của Ban Bí thư về tăng cường sự lãnh đạo của Đảng đối với công tác thu hồi tài sản",
    "Nghị quyết số 27-NQ/TW của Ban Chấp hành Trung ương về tiếp tục xây dựng và hoàn thiện Nhà nước pháp quyền",
]
CONTENTS = [
    "phối hợp tuyên truyền, phổ biến, giáo dục pháp luật cho cán bộ, đảng viên và Nhân dân",
    "trao đổi thông tin về tình hình tư tưởng, dư luận xã hội và những vấn đề nổi cộm, Nhân dân quan tâm",
    "phối hợp tham mưu cấp ủy lãnh đạo, chỉ đạo giải quyết khiếu nại, tố cáo ngay từ cơ sở",
    "định hướng công tác thông tin, báo chí về hoạt động tư pháp và các vụ án được dư luận quan tâm",
    "phối hợp nắm tình hình, đấu tranh phản bác các quan điểm sai trái, thù địch trên không gian mạng",
    "phát hiện, nhân rộng các mô hình, điển hình tiên tiến trong thực thi pháp luật",
    "tổ chức học tập, quán triệt các nghị quyết, chỉ thị của Đảng, chính sách, pháp luật của Nhà nước",
    "phối hợp vận động Nhân dân chấp hành pháp luật, giữ gìn an ninh, trật tự tại địa bàn",
    "xây dựng mô hình Dân vận khéo trong các cơ quan tư pháp",
    "phối hợp kiểm tra, giám sát việc thực hiện chương trình hằng năm và sơ kết, tổng kết định kỳ",
    "tăng cường đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân",
    "phối hợp tập huấn, bồi dưỡng nghiệp vụ cho đội ngũ báo cáo viên, tuyên truyền viên",
]
RESIDUE_TOP = ["Trang chủ > Tin tức > Chính trị", "Chia sẻ bài viết Facebook Zalo", "Cỡ chữ A- A A+",
               "Sự kiện nổi bật", "Truy cập nội dung luôn", "TIN TỨC - SỰ KIỆN"]
RESIDUE_BOTTOM = ["Tin liên quan", "Bình luận (0)", "Chia sẻ: Facebook Twitter Email", "In bài viết",
                  "Ý kiến bạn đọc", "Các tin khác"]
TIMES = ["Sáng", "Chiều", "Sáng nay", "Chiều nay", ""]
PERIODS = [(2021, 2025), (2021, 2026), (2022, 2025), (2022, 2026), (2023, 2025), (2023, 2026), (2024, 2026),
           (2025, 2030), (2026, 2030)]


@dataclass
class Question:
    kind: str
    text: str
    source: str
    expect: str  # a fact value the right passage contains


@dataclass
class Synthetic:
    source: str
    text: str
    questions: list[Question] = field(default_factory=list)


@dataclass
class _Draft:
    """What one synthetic article states, before it is written out."""

    year: int
    where: str
    local: str
    subject: str
    board_full: str
    partner_names: list[str]
    day: int = 0
    month: int = 0
    start: int = 0
    end: int = 0
    period_text: str = ""
    leader: str = ""
    head: str = ""
    deputy: str = ""
    leader_role: str = ""
    head_role: str = ""
    partner_people: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    legal: str = ""
    when: str = ""
    venue: str = ""
    event: str = ""
    title: str = ""


def _fold_key(text: str) -> str:
    return " ".join(text.lower().split())


class Generator:
    """Writes articles with unique (place, board, partner, year) and fresh attendee names."""

    def __init__(self, seed: int = 7, avoid: list[str] | None = None):
        self.rng = random.Random(seed)
        self.used: set[tuple] = set()
        self.avoid = [_fold_key(a) for a in avoid or [] if a.strip()]

    def _name(self) -> str:
        r = self.rng
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def _pick_key(self) -> tuple[str, str | None, tuple[str, str], list[tuple[str, str]], tuple[int, int], int]:
        r = self.rng
        for _ in range(1000):
            province = r.choice(PROVINCES)
            district = r.choice(DISTRICT_NAMES) if r.random() < 0.45 else None
            board = r.choice(BOARDS)
            partners = r.sample(PARTNERS, r.choice((1, 1, 2, 3)))
            period = r.choice(PERIODS)
            year = period[0] if r.random() < 0.8 else period[0] - 1
            key = (district or province, board[0], partners[0][0], year)  # what the questions name
            if key not in self.used:
                self.used.add(key)
                return province, district, board, partners, period, year
        raise RuntimeError("too many articles for the template space")

    def article(self, number: int) -> Synthetic:
        for _ in range(50):
            item = self._article(number)
            folded = _fold_key(item.text)
            if not any(a in folded for a in self.avoid):
                return item
        raise RuntimeError("could not avoid the evaluation's evidence strings")

    def _article(self, number: int) -> Synthetic:
        draft = self._draft()
        source = f"syn_{number:05d}.txt"
        text = self._write(draft)
        return Synthetic(source, text, self._questions(draft, source))

    def _draft(self) -> _Draft:
        """Everything one article states: parties, people, date, period, legal basis, contents."""
        r = self.rng
        province, district, board, partners, period, year = self._pick_key()
        city = province in CENTRAL_CITIES
        if district:
            level, committee, where = "huyện", "Huyện ủy", f"huyện {district}"
        else:
            level = "thành phố" if city else "tỉnh"
            committee = "Thành ủy" if city else "Tỉnh ủy"
            where = f"{level} {province}" if r.random() < 0.5 else level
        board_name, subject = board
        d = _Draft(year=year, where=where, local=district or province, subject=subject,
                   board_full=f"{board_name} {committee}",
                   partner_names=[f"{p[0]} {level}" for p in partners])
        d.day, d.month = r.randint(1, 28), r.randint(1, 12)
        d.start, d.end = period
        dash = r.choice(["-", "–", " - "])
        d.period_text = f"giai đoạn {d.start}{dash}{d.end}".replace("  ", " ")
        # people: the board's head, a committee leader, partner heads
        d.leader, d.head, d.deputy = self._name(), self._name(), self._name()
        d.leader_role = f"Phó Bí thư Thường trực {committee} {d.local}, Chủ tịch HĐND {level}"
        d.head_role = f"Ủy viên Ban Thường vụ {committee}, Trưởng {board_name} {committee} {d.local}"
        d.partner_people = [(self._name(), f"{PARTNER_HEADS[abbr]} {abbr} {level} {d.local}")
                            for _full, abbr in partners]
        d.items = r.sample(CONTENTS, r.randint(3, 5))
        d.legal = r.choice(LEGAL)
        time_word = r.choice(TIMES)
        d.when = f"{time_word} ngày {d.day}/{d.month}" if time_word and not time_word.endswith("nay") else \
            (f"{time_word} ({d.day}/{d.month})" if time_word else f"Ngày {d.day}/{d.month}")
        d.venue = r.choice([f"tại Hội trường {committee}", f"tại trụ sở {d.partner_names[0]}", ""])
        d.event = r.choice(["lễ ký kết", "hội nghị ký kết", "buổi ký kết"])
        partners_text = ", ".join(d.partner_names)
        d.title = r.choice([
            f"{d.board_full} {d.local} và {d.partner_names[0]} ký kết chương trình phối hợp {d.period_text}",
            f"{d.local}: Ký kết Chương trình phối hợp về {subject} {d.period_text}",
            f"Ký kết chương trình phối hợp giữa {d.board_full} và {partners_text}",
        ])
        return d

    def _write(self, d: _Draft) -> str:
        """The article's text: title, time stamp, lead, attendees, basis, contents, speeches, residue."""
        r = self.rng
        published = f"{min(28, d.day + r.randint(0, 2)):02d}/{d.month:02d}/{d.year}"
        attendees = [(d.leader, d.leader_role), (d.head, d.head_role)] + d.partner_people
        lines = []
        if r.random() < 0.6:
            lines.append(r.choice(RESIDUE_TOP))
        lines.append(d.title)
        lines.append(r.choice([f"{published} {r.randint(6, 21):02d}:{r.randint(0, 59):02d}",
                               f"[ Cập nhật vào ngày ({published}) ] - [ Số lần xem: {r.randint(50, 20000)} ]",
                               f"Thứ {r.randint(2, 7)}, {published} | {r.randint(6, 21):02d}:{r.randint(0, 59):02d}"]))
        lines.append(f"{d.when}, {d.venue + ', ' if d.venue else ''}{d.board_full} {d.local} tổ chức {d.event} "
                     f"chương trình phối hợp với {', '.join(d.partner_names)} về {d.subject} {d.period_text}.")
        lines.append(r.choice([
            f"Dự {d.event} có các đồng chí: " + "; ".join(f"{n}, {ro}" for n, ro in attendees) + ".",
            f"Tham dự có đồng chí {d.leader}, {d.leader_role}; đồng chí {d.head}, {d.head_role}; cùng lãnh đạo "
            + ", ".join(f"đồng chí {n}, {ro}" for n, ro in d.partner_people) + ".",
        ]))
        lines.append(f"Chương trình phối hợp được xây dựng trên cơ sở {d.legal}, nhằm nâng cao hiệu quả {d.subject} "
                     f"trên địa bàn {d.where}.")
        lines.append(r.choice(["Nội dung chương trình phối hợp gồm: ", "Theo đó, hai bên thống nhất phối hợp: ",
                               "Chương trình tập trung vào các nội dung: "])
                     + "; ".join(d.items) + ".")
        lines.append(f"Phát biểu tại {d.event}, đồng chí {d.head}, {d.head_role} nhấn mạnh việc ký kết là cơ sở để "
                     f"các cơ quan phát huy vai trò, trách nhiệm, tạo sự thống nhất trong lãnh đạo, chỉ đạo, góp "
                     f"phần thực hiện thắng lợi nhiệm vụ chính trị của {d.where}.")
        if r.random() < 0.6:
            lines.append(f"Đồng chí {d.leader}, {d.leader_role} đề nghị các cơ quan cụ thể hóa chương trình bằng kế "
                         f"hoạch hằng năm, phân công rõ người, rõ việc, định kỳ sơ kết, rút kinh nghiệm.")
        lines.append(f"Tại {d.event}, đồng chí {d.deputy}, Phó Trưởng {d.board_full} đã thông qua toàn văn "
                     f"chương trình; đại diện lãnh đạo các cơ quan đã ký kết chương trình phối hợp {d.period_text}.")
        if r.random() < 0.5:
            lines.append(f"{r.choice(['Minh Anh', 'Thu Hà', 'Văn Long', 'PV', 'Hồng Nhung'])}")
        if r.random() < 0.6:
            lines.append(r.choice(RESIDUE_BOTTOM))
        return "\n\n".join(lines) + "\n"

    def _questions(self, d: _Draft, source: str) -> list[Question]:
        parties_q = f"{d.board_full} {d.local} và {d.partner_names[0]}"
        year = d.year
        signers = [d.head] + [n for n, _ in d.partner_people]
        questions = [
            Question("attendees", f"Ai dự lễ ký kết chương trình phối hợp giữa {parties_q} năm {year}?", source,
                     d.head),
            Question("period", f"Chương trình phối hợp giữa {parties_q} ký năm {year} thực hiện trong giai đoạn nào?",
                     source, str(d.end)),
            Question("date", f"{d.board_full} {d.local} ký kết chương trình phối hợp với {d.partner_names[0]} vào "
                     f"ngày nào năm {year}?", source, f"{d.day}/{d.month}"),
            Question("contents", f"Nội dung chương trình phối hợp giữa {parties_q} năm {year} gồm những gì?",
                     source, d.items[0]),
            Question("legal", f"Chương trình phối hợp năm {year} của {d.board_full} {d.local} với "
                     f"{d.partner_names[0]} dựa trên văn bản nào?", source, d.legal.split(",")[0].split(" của ")[0]),
            Question("signers", f"Ai ký chương trình phối hợp giữa {parties_q} năm {year}?", source,
                     signers[-1]),
        ]
        if self.rng.random() < 0.3:  # typed without diacritics, as staff often do
            q = questions[0]
            questions.append(Question("no_diacritics", fold(q.text), source, q.expect))
        return questions


def generate(count: int, seed: int = 7, avoid: list[str] | None = None) -> Iterator[Synthetic]:
    """Yield `count` synthetic articles."""
    generator = Generator(seed, avoid)
    for number in range(count):
        yield generator.article(number)
