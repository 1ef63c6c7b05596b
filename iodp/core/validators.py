"""Field validators shared by every module."""

import functools

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(value: str) -> str:
    """Parse a Chinese or international phone number and return it in E.164 form; raise if invalid.

    Numbers without a leading + are read as Chinese (e.g. 13800138000, 010-68571234).
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    normalized = _e164(raw)
    if normalized is None:
        raise ValidationError(_("请输入有效的电话号码，如 13800138000、010-68571234 或 +44 20 7946 0958。"),
                              code="invalid_phone")
    return normalized


@functools.lru_cache(maxsize=4096)
def _e164(raw: str) -> str | None:
    """`raw` in E.164 form, None when it is no valid number (a form, its model and an import row each ask)."""
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)
