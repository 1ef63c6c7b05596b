"""Form fields for reference data."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from .currencies import currency_choices, currency_label, parse_currency


class DatalistTextInput(forms.TextInput):
    """A text input with a <datalist> of suggestions: the browser filters them as one types (no script)."""

    def __init__(self, attrs=None, options=None):
        super().__init__(attrs)
        self.options = options or (lambda: [])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}_options"
        context["widget"]["attrs"]["list"] = list_id
        context["datalist_id"] = list_id
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        html = self._render(self.template_name, context, renderer)
        options = format_html_join("", '<option value="{}">', ((label,) for label in self.options()))
        return format_html('{}<datalist id="{}">{}</datalist>', html, context["datalist_id"], options)


class CurrencyFormField(forms.CharField):
    """会费币种: picked from the list or typed as name or ISO code ("欧元", "EUR", "欧元 EUR"); cleans to the code."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = 40  # what is typed ("欧元 EUR"), not what is stored (EUR)
        kwargs.setdefault("widget", DatalistTextInput(attrs={"placeholder": "欧元 EUR", "autocomplete": "off"},
                                                      options=currency_choices))
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_currency(super().to_python(value))

    def prepare_value(self, value):
        """A stored code shows as it is offered in the list (欧元 EUR); what does not parse shows as typed."""
        if not isinstance(value, str) or not value:
            return value
        try:
            return currency_label(parse_currency(value))
        except ValidationError:
            return value
