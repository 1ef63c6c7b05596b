"""QuickSelect renders what Django's Select renders (options, selection, escaping), only faster."""

import re

import pytest
from django import forms
from django.utils import translation

from iodp.accounts.models import Unit
from iodp.core.widgets import QuickSelect, light_choices
from iodp.reference.models import Country, Discipline
from tests.conftest import make_unit_user

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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("make_field", [
    lambda widget: forms.ModelChoiceField(Country.objects.all(), empty_label="全部", widget=widget),
    lambda widget: forms.ModelChoiceField(Discipline.objects.all(), empty_label=None, widget=widget),
    lambda widget: forms.ModelChoiceField(Unit.objects.all(), empty_label="全部单位", widget=widget),
])
def test_model_choices_read_as_values_render_what_the_instances_render(make_field, language, unit_user):
    """The light path (no model instance per option) gives the same options, labels in the UI's language."""
    make_unit_user("widget_unit", "Ünit <&> 学会")
    with translation.override(language):
        def rendered(widget):
            class Form(forms.Form):
                field = make_field(widget)
            return Form({"field": ""})["field"].as_widget()

        assert isinstance(light_choices(make_field(QuickSelect).choices), list)
        quick = rendered(QuickSelect)
        assert _tags(quick) == _tags(rendered(forms.Select))
    if language == "en" and "Country" in str(make_field(None).queryset.model):
        assert ">France<" in quick


def test_a_field_with_its_own_labels_keeps_them():
    class Labelled(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{obj.code} · {obj.name_zh}"

    field = Labelled(Country.objects.filter(code="FR"), widget=QuickSelect)
    assert not isinstance(light_choices(field.choices), list)
    assert "FR · 法国" in field.widget.render("x", None)
