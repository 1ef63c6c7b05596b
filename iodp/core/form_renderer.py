"""The forms' renderer: Django's, with `<select>` written in Python.

Django renders every `<option>` of a select through two template includes; a form with five country lists
(249 countries each) and two discipline lists spends most of its time there (the new expert form at national
scale: about 150 ms of 160, in-process, PostgreSQL). This renderer writes the same HTML, character for character
(`tests/core/test_form_renderer.py` compares both), without the templates; any other widget, or a select whose
options have a template of their own, is rendered by Django's templates as before."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{conditional_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def render_select(widget: dict) -> str | None:
    """django/forms/widgets/select.html for the widget context `widget`, or None when an option has a template
    of its own."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>\n')  # the template's own last line break
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308  (every value above is escaped)
        return super().render(template_name, context, request)
