"""Pinyin of Chinese personal names: the suggested English name, and the keys used to search and sort."""

import functools

from pypinyin import Style, lazy_pinyin

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "轩辕",
    "端木", "独孤", "南宫", "长孙", "宇文", "西门", "申屠", "澹台", "呼延", "万俟", "闻人", "钟离",
)
#: surnames read differently from the character's common reading.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha", "盖": "ge",
    "乐": "yue", "种": "chong", "覃": "qin", "缪": "miao", "翟": "zhai", "尉": "yu", "长孙": "zhangsun",
    "万俟": "moqi", "繁": "po", "召": "shao", "员": "yun", "秘": "bi",
}


#: (each of two characters: split_name looks a name's first two up)
_COMPOUND = frozenset(COMPOUND_SURNAMES)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name; compound surnames (欧阳, 司马...) are kept whole."""
    name = (name or "").strip()
    if len(name) > 2 and name[:2] in _COMPOUND:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _syllables(text: str, *, surname: bool = False) -> tuple[str, ...]:
    if surname and text in SURNAME_READINGS:
        return (SURNAME_READINGS[text],)
    return _readings(text)


@functools.lru_cache(maxsize=20000)
def _readings(text: str) -> tuple[str, ...]:
    """The syllables of `text` (a surname or given name: each is read once per process, however many rows
    an import or a list holds)."""
    return tuple(s for s in lazy_pinyin(text, errors="default") if s.strip())


def suggest_name_en(name: str) -> str:
    """"张三丰" → "Zhang Sanfeng"; names that are not Chinese are returned as typed."""
    name = (name or "").strip()
    if not name or not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name
    surname, given = split_name(name)
    family = "".join(_syllables(surname, surname=True)).capitalize()
    first = "".join(_syllables(given)).capitalize()
    return f"{family} {first}".strip()


def name_pinyin(name: str) -> str:
    """Lower-case pinyin without spaces, the sort and search key: "欧阳娜娜" → "ouyangnana"."""
    surname, given = split_name(name)
    return ("".join(_syllables(surname, surname=True)) + "".join(_syllables(given))).lower().replace(" ", "")


def name_initials(name: str) -> str:
    """Initials for search: "张三丰" → "zsf"."""
    surname, given = split_name(name)
    head = [s[:1] for s in _syllables(surname, surname=True)] if surname not in SURNAME_READINGS else \
        [SURNAME_READINGS[surname][:1]]
    tail = _first_letters(given)
    return ("".join(head) + "".join(tail)).lower().replace(" ", "")


@functools.lru_cache(maxsize=20000)
def _first_letters(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"))
