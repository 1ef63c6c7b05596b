"""Model and form fields shared by every module."""

from django import forms
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .text import normalize_text


class NormalizedFormCharField(forms.CharField):
    """A one-line text input cleaned by `normalize_text` (so max_length and validators see the stored value)."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


class _NormalizedAttribute(DeferredAttribute):
    """Normalizes on assignment, so the instance holds what the database will: derived values (search text,
    pinyin) and comparisons made before saving already see the normalized name."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = normalize_text(value) if isinstance(value, str) else value


class NormalizedCharField(models.CharField):
    """A name or code: stored and compared in the form `iodp.core.text.normalize_text` gives.

    Normalized on assignment, in `to_python` (full_clean) and `get_prep_value` (saves, `update()` and exact
    lookups), and its form field cleans the same way.
    """

    descriptor_class = _NormalizedAttribute

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalize_text(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NormalizedFormCharField, **kwargs})
