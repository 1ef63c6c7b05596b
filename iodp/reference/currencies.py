"""ISO 4217 currencies with their Chinese (and English) names from CLDR, as Babel ships them.

People write a currency as 欧元, EUR, eur or 欧元 EUR; the platform stores the ISO code and shows it with its
name (欧元（EUR）). `parse_currency` is the one reading of what was typed: forms, imports and the API call it.
"""

import functools
import re

import pycountry
from babel.numbers import get_currency_name, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iodp.core.text import normalize_text

# Listed first: the currencies most dues are paid in.
COMMON_CODES = ("CNY", "USD", "EUR", "CHF", "GBP", "JPY", "HKD", "AUD", "CAD", "XDR")
# ISO 4217 codes that are no money a fee is paid in: funds codes, precious metals, testing and "no currency".
NOT_MONEY = {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "XAG", "XAU", "XBA", "XBB", "XBC",
             "XBD", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
# Everyday names that are not CLDR's.
ALIASES = {"美金": "USD", "港币": "HKD", "澳元": "AUD", "加元": "CAD", "瑞郎": "CHF", "人民币元": "CNY",
           "台币": "TWD", "卢布": "RUB"}
HINT = _("请选择或输入币种，例如 欧元 EUR。")
_CODE_IN_TEXT = re.compile(r"\b([A-Za-z]{3})\b")
_BRACKETS = str.maketrans("", "", "()（）[]【】")


@functools.cache
def currency_codes() -> tuple[str, ...]:
    """Current ISO 4217 codes (pycountry's list, which CLDR names), common ones first, then by code."""
    current = ({c.alpha_3 for c in pycountry.currencies} & set(list_currencies())) - NOT_MONEY
    return tuple(c for c in COMMON_CODES if c in current) + tuple(sorted(current - set(COMMON_CODES)))


def _locale() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh_Hans_CN"


def currency_name(code: str, locale: str | None = None) -> str:
    """The currency's name in the UI language ("" when CLDR has none, e.g. for a code newer than it)."""
    name = get_currency_name(code, locale=locale or _locale())
    return "" if name == code else name


@functools.cache
def _codes_by_name() -> dict[str, str]:
    names = {}
    for code in currency_codes():
        for locale in ("zh_Hans_CN", "en"):
            if name := currency_name(code, locale):
                names[name.casefold()] = code
    names.update({alias.casefold(): code for alias, code in ALIASES.items()})
    return names


def parse_currency(value: str | None) -> str:
    """The ISO code of what a person typed ("EUR", "eur", "欧元", "欧元 EUR", "Euro"); "" for nothing; raises
    ValidationError with a hint when it names no current currency or names two different ones."""
    text = normalize_text(value or "")
    if not text:
        return ""
    codes, by_name = set(currency_codes()), _codes_by_name()
    if text.upper() in codes:
        return text.upper()
    if (code := by_name.get(text.casefold())) is not None:
        return code
    match = _CODE_IN_TEXT.search(text)
    if match and match.group(1).upper() in codes:
        code = match.group(1).upper()
        rest = normalize_text((text[:match.start()] + " " + text[match.end():]).translate(_BRACKETS))
        if not rest or by_name.get(rest.casefold()) == code:
            return code
    raise ValidationError(HINT, code="currency")


def validate_currency(value: str) -> None:
    """A stored value must be a current ISO code (forms turn names into codes before this runs)."""
    if value and value.upper() not in currency_codes():
        raise ValidationError(HINT, code="currency")


def currency_label(code: str) -> str:
    """How the list offers a currency and the form shows a stored one: "欧元 EUR"."""
    name = currency_name(code)
    return f"{name} {code}" if name else code


def currency_choices() -> list[str]:
    """The list of currencies offered to pick from, in the UI language."""
    return [currency_label(code) for code in currency_codes()]


def currency_display(code: str) -> str:
    """A stored code as pages show it: 欧元（EUR）, or Euro (EUR) in English."""
    if not code:
        return ""
    name = currency_name(code) if code in currency_codes() else ""
    if not name:
        return code
    return f"{name} ({code})" if _locale() == "en" else f"{name}（{code}）"
