"""Form widgets shared by the modules' filters."""

from django import forms
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from iodp.reference.models import LocalizedNameMixin


def light_choices(choices):
    """The (value, label) pairs of a model choice field read as plain values, without a model instance per option
    (249 countries, 300 units and 62 disciplines on every list request): for models shown by their localized
    name (`LocalizedNameMixin`) or by a `name` field their `__str__` returns, when the field keeps Django's
    label and value; otherwise the choices as they are."""
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    field, queryset = choices.field, choices.queryset
    model = queryset.model
    if field.to_field_name or type(field).label_from_instance is not ModelChoiceField.label_from_instance:
        return choices
    if model.__str__ is LocalizedNameMixin.__str__:
        pairs = LocalizedNameMixin.choices(queryset)
    elif getattr(model, "plain_name_str", False):
        pairs = list(queryset.values_list("pk", "name"))
    else:
        return choices
    return ([("", field.empty_label)] if field.empty_label is not None else []) + pairs


class QuickSelect(forms.Select):
    """A <select> written out in one pass: the same HTML as Django's Select (tests/organizations/test_widgets.py),
    without the per-option context dicts and template renders that made the list's filters (249 countries,
    300 units, 62 disciplines) most of its page time.

    Plain HTML, so the filter still works without JavaScript.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        found = False  # like Select: one option selected at most (the first that matches)

        def option(option_value, label):
            nonlocal found
            text = str(option_value)
            selected = text in chosen and (self.allow_multiple_selected or not found)
            found = found or selected
            return (f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(label)}</option>")

        for option_value, label in light_choices(self.choices):
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{conditional_escape(option_value)}">')
                parts.extend(option(sub_value, sub_label) for sub_value, sub_label in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value and label is escaped above)
