"""Form pieces shared by every module."""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from .phones import format_phone
from .validation_messages import specify_field_messages
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


class PlatformFormMixin:
    """What every form of the platform shares: validation messages that name the field and its limit
    (`iodp.core.validation_messages`) in place of Django's generic ones. Applied when the form is validated,
    so fields a form replaces in its own __init__ get them too."""

    def specify_messages(self) -> None:
        """Give every field its specific messages (also for callers that use the fields without the form: the
        Excel import parses each cell with the form's field)."""
        model = getattr(getattr(self, "_meta", None), "model", None)
        model_fields = {f.name: f for f in model._meta.concrete_fields + model._meta.many_to_many} if model else {}
        for name, field in self.fields.items():
            specify_field_messages(field, field.label or name, model_field=model_fields.get(name))

    def full_clean(self):
        self.specify_messages()
        super().full_clean()


class PlatformForm(PlatformFormMixin, forms.Form):
    pass


class PlatformModelForm(PlatformFormMixin, forms.ModelForm):
    pass


@dataclass(frozen=True)
class ErrorItem:
    """One line of a form's error summary: where (field label, list and row), what, and the id to jump to."""

    message: str
    label: str = ""
    anchor: str = ""
    field: str = ""


def _field_errors(form, *, where: str = "", row_anchor: str = "") -> list[ErrorItem]:
    items = []
    order = {name: index for index, name in enumerate(form.fields)}
    for name, errors in sorted(form.errors.items(), key=lambda item: order.get(item[0], -1)):
        if name == NON_FIELD_ERRORS or name not in form.fields:
            label, anchor = "", row_anchor
        else:
            bound = form[name]
            label = str(bound.label or name)
            anchor = row_anchor if bound.is_hidden else (bound.id_for_label or bound.auto_id or row_anchor)
        for message in map(str, errors):
            named = label if label and label not in message else ""  # most messages name their field already
            items.append(ErrorItem(message=message, label=" · ".join(p for p in (where, named) if p),
                                   anchor=anchor, field=label))
    return items


def error_summary(form=None, formsets=None) -> list[ErrorItem]:
    """Every error of a page's form and its lists, in page order: the form's own errors first (non-field,
    then each field), then each list's errors and each row's (with the list's name and the row number)."""
    items = []
    if form and getattr(form, "is_bound", False):
        items += [ErrorItem(message=str(m)) for m in form.non_field_errors()]
        items += [item for item in _field_errors(form) if item.field]
    for name, formset in (formsets or {}).items():
        if not getattr(formset, "is_bound", False):
            continue
        list_label = str(formset.model._meta.verbose_name_plural) if hasattr(formset, "model") else name
        items += [ErrorItem(message=str(m), label=list_label, anchor=f"formset-{name}")
                  for m in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            if row.errors:
                where = _("%(list)s第 %(row)s 行") % {"list": list_label, "row": number}
                items += _field_errors(row, where=where, row_anchor=f"{row.prefix}-row")
    return items
