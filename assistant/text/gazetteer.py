"""Closed vocabularies of Vietnamese public life used by fact extraction.

Province names (the 63 units before the 2025 merger; the 34 after it are among them),
centrally-run cities, common surnames, and the words that open or continue an official's role.
Matching is diacritics-insensitive where spelling varies (Hòa/Hoà, Thừa Thiên - Huế).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.text.folding import fold, lower_tones

PROVINCES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh",
    "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]
CENTRAL_CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
# Spellings that name a province differently from the list above.
ALIASES = {"hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "sai gon": "Hồ Chí Minh",
           "thua thien - hue": "Thừa Thiên Huế", "ba ria vung tau": "Bà Rịa - Vũng Tàu",
           "dac lac": "Đắk Lắk", "dak lak": "Đắk Lắk", "dak nong": "Đắk Nông", "bac can": "Bắc Kạn"}


def _key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").replace("–", " ").split())


_PROVINCE_BY_KEY = {_key(p): p for p in PROVINCES}
_PROVINCE_BY_KEY.update({_key(k): v for k, v in ALIASES.items()})
_PROVINCE_BY_SQUASHED = {k.replace(" ", ""): v for k, v in _PROVINCE_BY_KEY.items()}


def province(name: str) -> str | None:
    """The canonical province name for a spelling of it, or None."""
    return _PROVINCE_BY_KEY.get(_key(name))


def province_from_domain(host: str) -> str | None:
    """The province a site is named after: `thainguyen.gov.vn`, `vanphong.langson.gov.vn`,
    `baoninhbinh.org.vn`, `quangtri.dcs.vn` (provincial portals and papers carry the province's name)."""
    host = re.sub(r"^https?://", "", (host or "").lower()).split("/")[0].split(":")[0]
    labels = [part for part in host.split(".") if part and part not in ("www", "vn", "com", "gov", "org", "net", "edu")]
    for label in labels:
        if label in _PROVINCE_BY_SQUASHED:
            return _PROVINCE_BY_SQUASHED[label]
    for label in labels:  # a paper's name: "bao" + province, or province + a short suffix
        for key, name in _PROVINCE_BY_SQUASHED.items():
            if len(key) >= 5 and (label == "bao" + key or label.startswith(key) and len(label) - len(key) <= 4):
                return name
    return None


_SURNAME_TEXT = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trương Lâm "
    "Mai Trịnh Đào Cao Lương Hà Tạ Châu Quách Thái Tô Tôn Từ Lưu Vương Triệu Kiều Khổng Khúc Lại "
    "La Lã Lò Lục Mạc Mạch Nghiêm Ninh Nông Phùng Quan Quang Thân Thạch Tăng Chu Chử Giang Giáp Hứa "
    "Kha Lạc Lều Mẫn Nhâm Phí Sầm Tiêu Tòng Trình Ung Vi Ksor Rơ Siu Điểu Danh "
    "Thạch Lữ Cù Bế Hầu Âu Doãn Diệp Đàm Đường Hàn Lăng Mông"
)
SURNAMES = {fold(s) for s in _SURNAME_TEXT.split()}
SURNAMES_ACCENTED = {lower_tones(s) for s in _SURNAME_TEXT.split()}  # "Quan" is one, "Quận" is not

# Words that open a role segment ("Phó Chủ tịch UBND tỉnh", "Đại tá, Giám đốc Công an tỉnh").
ROLE_HEADS = [
    "Ủy viên", "Uỷ viên", "Bí thư", "Phó Bí thư", "Trưởng", "Phó", "Chủ tịch", "Chủ nhiệm", "Chánh",
    "Viện trưởng", "Giám đốc", "Cục trưởng", "Chi cục trưởng", "Tổng", "Thứ trưởng", "Bộ trưởng",
    "Đại biểu", "Thường trực", "Tư lệnh", "Chính ủy", "Chính uỷ", "Chỉ huy", "Hiệu trưởng",
    "Kiểm sát viên", "Thẩm phán", "Chấp hành viên", "Thư ký", "Người phát ngôn", "Đại tá", "Thượng tá",
    "Trung tá", "Thiếu tá", "Đại úy", "Đại uý", "Thiếu tướng", "Trung tướng", "Thượng tướng",
    "Đại tướng", "Chuyên viên", "Nguyên", "Quyền", "Ủy viên Trung ương", "Tiến sĩ", "TS", "ThS",
    "Luật sư", "Bác sĩ", "Nhà báo",
]
_ROLE_HEAD_KEYS = sorted({lower_tones(h) for h in ROLE_HEADS}, key=len, reverse=True)
# heads by their first word, longest first: one dictionary lookup per call instead of a scan
_HEADS_BY_FIRST: dict[str, list[list[str]]] = {}
for _head in _ROLE_HEAD_KEYS:
    _HEADS_BY_FIRST.setdefault(_head.split()[0], []).append(_head.split())


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return lower_tones(word)

# Lower-case words that may continue a role ("Phó Bí thư thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"),
# compared with tone marks (fold() would confuse "chỉ đạo" with "chi cục"). Verbs that share a
# syllable with an organisation word ("báo cáo", "tổng kết", "tập trung") are left out on purpose.
ROLE_WORDS = {lower_tones(w) for w in (
    "tỉnh thành phố huyện quận thị xã phường trấn ủy ban thường trực vụ nhân dân cán sự đảng "
    "tuyên giáo vận kiểm sát tra tòa án thi hành chính trị trung tâm hội đồng mặt trận tổ quốc "
    "công an văn phòng đoàn thể thanh niên phụ nữ nông liên hiệp lao động cựu chiến binh quân biên "
    "cục chi sở viện trưởng phó chủ tịch nhiệm bí thư viên khóa kiêm bộ đội giám đốc thông tin truyền và"
).split()}

# Second syllables of organisation names whose first syllable is capitalised ("Sở Tư pháp",
# "Bộ Chỉ huy", "Sở Giáo dục và Đào tạo"); accepted only right after a capitalised word.
ORG_SECOND = {lower_tones(w) for w in (
    "pháp huy dục tạo tế hoạch tư trường nguyên vụ chính thanh hình hóa thao lịch dựng thông tải "
    "thương nghiệp học nghệ động binh hội tộc giáo đua thưởng truyền sự phòng sát tra chức dân vận "
    "lực sản sinh lợi ngoại tịch trú quản lý"
).split()}


def role_head_at(words: list[str], i: int) -> int:
    """Length (in words) of a role head starting at words[i], or 0 (tone marks matter:
    "Nguyên" is a role head, "Nguyễn" a surname)."""
    if i >= len(words):
        return 0
    candidates = _HEADS_BY_FIRST.get(_word_key(words[i]))
    if not candidates:
        return 0
    keys = [_word_key(w) for w in words[i:i + 4]]
    for parts in candidates:
        if keys[:len(parts)] == parts:
            return len(parts)
    return 0
