"""Text normalisation for finding organizations by name: one function, used when storing and when searching.

"Intl. Union of Pure & Applied Chemistry", "International Union of Pure and Applied Chemistry" and
"INTERNATIONAL UNION OF PURE AND APPLIED CHEMISTRY" all normalise to "international union pure applied
chemistry", so a plain substring test in SQL finds them; rapidfuzz then ranks a bounded candidate set.
"""

import re

from iodp.core.text import normalize_text

# Abbreviations people write for the words of organization names.
ABBREVIATIONS = {
    "intl": "international", "int": "international", "internat": "international",
    "assoc": "association", "assn": "association", "fed": "federation",
    "org": "organization", "organisation": "organization", "organisations": "organizations",
    "soc": "society", "univ": "university", "comm": "committee", "commn": "commission",
    "natl": "national", "sci": "science", "scis": "sciences", "inst": "institute", "acad": "academy",
    "conf": "conference", "counc": "council", "coun": "council", "eng": "engineering", "engg": "engineering",
    "tech": "technology", "dev": "development", "res": "research", "mgmt": "management",
    "centre": "center", "programme": "program",
}
# Words that carry no meaning for matching names.
STOP_WORDS = {"of", "the", "and", "for", "on", "in", "a", "an", "at", "to", "de", "la", "et", "des", "du"}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]+")


def normalize_words(text: str) -> list[str]:
    """Lower-case words of `text`, punctuation dropped, abbreviations expanded, stop words removed.

    Runs of Chinese characters are kept as one word each. Invisible characters and full-width forms never
    split or change a word (`normalize_text` first).
    """
    text = normalize_text(text).lower()
    text = text.replace("&", " and ").replace("int'l", "international").replace("’", "'")
    words = []
    for word in _WORD.findall(text):
        word = ABBREVIATIONS.get(word, word)
        if word not in STOP_WORDS:
            words.append(word)
    return words


def normalize_query(text: str) -> str:
    return " ".join(normalize_words(text))


def normalize_search_text(*names: str) -> str:
    """The stored search column: every name normalised, separated by ' | ' so words never join across names."""
    parts = [normalize_query(name) for name in names if name]
    return " | ".join(p for p in parts if p)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def cjk_ngrams(text: str, n: int = 2, limit: int = 12) -> list[str]:
    """Overlapping runs of `n` Chinese characters, for matching parts of Chinese names."""
    chars = "".join(_CJK.findall(text or ""))
    grams = []
    for i in range(len(chars) - n + 1):
        gram = chars[i:i + n]
        if gram not in grams:
            grams.append(gram)
    return grams[:limit]


def pinyin_sort_key(name: str) -> str:
    """The key that sorts Chinese names by pinyin (国际... → "guo ji ..."); other text by itself, lower-case."""
    from pypinyin import Style, lazy_pinyin

    if not name:
        return ""
    return " ".join(lazy_pinyin(name, style=Style.TONE3, errors=lambda s: s.lower()))[:400]
