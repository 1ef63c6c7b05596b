"""Form pieces shared by every module."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .phones import format_phone
from .validators import normalize_phone

_E164 = re.compile(r"\+\d{6,15}")


class PhoneFormField(forms.CharField):
    """A Chinese or international phone number, stored in E.164 form (+8613800138000)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", _("手机、座机或国际号码，如 13800138000、010-68571234、+44 20 7946 0958"))
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))

    def prepare_value(self, value):
        """A stored number (E.164) shows as on every page (010 6857 1234); what was typed shows as typed."""
        return format_phone(value) if isinstance(value, str) and _E164.fullmatch(value) else value
