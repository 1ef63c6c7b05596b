"""The forms' renderer writes every <select> exactly as Django's templates do, only faster."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from iodp.core.form_renderer import Renderer
from iodp.experts.forms import EducationForm, ExpertForm
from iodp.reference.models import Country, Discipline


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "——"), ("a&b", "A & B"), ("<x>", "<b>粗</b>"), (3, "三")])
    grouped = forms.ChoiceField(choices=[("亚洲", [("cn", "中国"), ("jp", "日本")]), ("欧洲", [("fr", "法国")]),
                                         ("x", "其他")])
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")],
                                     widget=forms.SelectMultiple(attrs={"data-x": 'q"uote', "required": True,
                                                                        "disabled": False, "class": "form-select"}))
    safe = forms.ChoiceField(choices=[("s", mark_safe("<i>已转义</i>"))])


def both(form_class, **kwargs) -> tuple[list[str], list[str]]:
    ours = form_class(renderer=Renderer(), **kwargs)
    django = form_class(renderer=DjangoTemplates(), **kwargs)
    return [str(ours[name]) for name in ours.fields], [str(django[name]) for name in django.fields]


@pytest.mark.parametrize("data", [None, {"plain": "a&b", "grouped": "jp", "many": ["1", "3"], "safe": "s"},
                                  {"plain": "<x>", "grouped": "x", "many": ["2"]}])
def test_selects_render_as_djangos_templates_render_them(data):
    ours, django = both(Sample, data=data)
    assert ours == django
    assert '<optgroup label="亚洲">' in ours[1] and 'value="a&amp;b"' in ours[0] and "&lt;b&gt;粗" in ours[0]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [ExpertForm, EducationForm])
def test_the_expert_forms_render_as_with_djangos_templates(unit_user, form_class):
    assert Country.objects.exists() and Discipline.objects.exists()
    ours, django = both(form_class, user=unit_user)
    assert ours == django
    assert sum(html.count("<option") for html in ours) > 200  # the countries at least


def test_a_select_is_written_without_the_templates():
    class Tiny(forms.Form):
        g = forms.ChoiceField(choices=[("", "---"), ("m", "男")])

    assert Renderer().render("django/forms/widgets/select.html", {"widget": Tiny()["g"].subwidgets[0].parent_widget
                                                                  .get_context("g", "m", {"id": "id_g"})["widget"]}) \
        == '<select name="g" id="id_g">\n  <option value="">---</option>\n\n  <option value="m" selected>男</option>\n\n</select>'


def test_the_platform_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "iodp.core.form_renderer.Renderer"
    assert isinstance(get_default_renderer(), Renderer)
