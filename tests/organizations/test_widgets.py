"""QuickSelect renders what Django's Select renders (options, selection, escaping), only faster."""

import re

import pytest
from django import forms

from iodp.organizations.widgets import QuickSelect
from iodp.reference.models import Country

pytestmark = pytest.mark.django_db


def _tags(html: str) -> list[str]:
    """The tags and texts of `html`, whitespace between tags and attribute order left out."""
    tags = re.findall(r"<[^>]+>|[^<]+", html)
    return [" ".join(sorted(tag.strip("<>").split())) if tag.startswith("<") else tag
            for tag in (t.strip() for t in tags) if tag]


@pytest.mark.parametrize("make_field", [
    lambda widget: forms.ModelChoiceField(Country.objects.all(), empty_label="全部 & <全部>", widget=widget),
    lambda widget: forms.ChoiceField(choices=[("区域", [("1", "a<b"), ("2", "\"c\"")]), ("3", "d")], widget=widget),
])
def test_quick_select_renders_the_same_html_as_djangos_select(make_field):
    value = str(Country.objects.get(code="FR").pk) if isinstance(make_field(None), forms.ModelChoiceField) else "2"

    def rendered(widget):
        class Form(forms.Form):
            field = make_field(widget)
        return Form({"field": value})["field"].as_widget(attrs={"class": "form-select"})

    assert _tags(rendered(QuickSelect)) == _tags(rendered(forms.Select))
