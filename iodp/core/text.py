"""The one normalization of names and codes, applied before a value is stored or compared.

Two spellings a person cannot tell apart on screen must be the same value: "国际数学联盟" and "国际数学联盟\u200b"
(a zero-width space), "ＩＵＭ" (full-width) and "IUM", "国际　数学" (ideographic space) and "国际 数学".
Model fields (`iodp.core.fields.NormalizedCharField`), searches and uniqueness checks all call `normalize_text`.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_SPACES_IN_LINE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\r\n?")
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _invisible(char: str) -> bool:
    """Format characters (zero-width, BOM, soft hyphen, bidi controls), variation selectors and controls that
    are not whitespace: nothing a reader sees, so nothing a name may differ by."""
    category = unicodedata.category(char)
    if category == "Cf":
        return True
    if category == "Cc":
        return not char.isspace()
    return bool(_VARIATION_SELECTORS.match(char))


def normalize_text(value: str | None, *, keep_newlines: bool = False) -> str:
    """`value` in NFKC, without invisible characters, every kind of whitespace a single plain space, ends stripped.

    With `keep_newlines` (multi-line text), line breaks stay (as "\\n"), spaces are collapsed within each line and
    trailing spaces of each line dropped.
    """
    if not value:
        return ""
    if not keep_newlines and type(value) is str and len(value) <= _RECENT_LENGTH:
        try:
            return _RECENT[value]  # a name is normalized again by its form field, its model field and its save
        except KeyError:
            pass
        normalized = _normalize(value, keep_newlines=False)
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.clear()
        _RECENT[value] = _RECENT[normalized] = normalized  # (what it gives is asked about next)
        return normalized
    return _normalize(str(value), keep_newlines=keep_newlines)


#: one-line values normalized lately → their normalized form (a pure function of the value; bounded)
_RECENT: dict[str, str] = {}
_RECENT_MAX = 16384
_RECENT_LENGTH = 200


def _normalize(value: str, *, keep_newlines: bool) -> str:
    if value.isprintable() and unicodedata.is_normalized("NFKC", value) and "  " not in value \
            and not _VARIATION_SELECTORS.search(value):
        return value.strip()  # the common case: nothing invisible, no odd spaces
    if keep_newlines:
        value = _NEWLINES.sub("\n", value)
    value = unicodedata.normalize("NFKC", "".join(c for c in value if not _invisible(c)))
    if not keep_newlines:
        return _SPACES.sub(" ", value).strip()
    lines = [_SPACES_IN_LINE.sub(" ", line).rstrip() for line in value.split("\n")]
    return "\n".join(lines).strip()


def character_pairs(*values: str) -> str:
    """Every pair of adjacent non-space characters of `values`, and every character that ends a word (followed by
    a space or the end) on its own, each once, space-separated and space-enclosed: " 王伟 伟 伟明 明 北京 京大 大学 学 ".

    A two-character query `xy` is contained in one of `values` exactly when " xy " is contained in this text; a
    one-character query `x` exactly when " x" is (a pair starting with it, or x ending a word). One word per pair
    lets a trigram index find them (" xy" and "xy " are trigrams of the first, "  x" of the second), where
    '%xy%' and '%x%' on the values themselves have no trigram to look up."""
    words = []
    for value in values:
        for word in (value or "").split():  # (split at whitespace as str.isspace tells it)
            words.extend(word[i:i + 2] for i in range(len(word) - 1))
            words.append(word[-1])
    pairs = dict.fromkeys(words)
    return f" {' '.join(pairs)} " if pairs else ""
