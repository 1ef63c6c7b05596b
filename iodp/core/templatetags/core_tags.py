from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from iodp.core.phones import format_phone

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def phone_display(value: str) -> str:
    """A stored number as people write it (010 6857 1234, +44 20 7946 0958): see `iodp.core.phones`."""
    return format_phone(value)


@register.simple_tag
def select_options(choices, selected=None):
    """The <option>s of (value, label) pairs, `selected` marked, written in Python: a loop in the template costs
    about 0.1 ms per option (300 units on every list page of the platform admin)."""
    selected = "" if selected is None else str(selected)
    marked = mark_safe(" selected")
    return format_html_join("", '<option value="{}"{}>{}</option>',
                            ((value, marked if str(value) == selected else "", label) for value, label in choices))


_SELECTS = {"select", "selectmultiple"}


@register.filter
def bs(field):
    """Render a bound field with Bootstrap's classes for its widget, marked invalid when it has errors."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    kind = type(widget).__name__.lower()
    if input_type == "checkbox" and kind == "checkboxinput":
        css = "form-check-input"
    elif input_type in {"checkbox", "radio"}:
        css = ""  # multiple choices render their own list
    elif kind in _SELECTS or "select" in kind:
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    classes = " ".join(c for c in [existing, css, "is-invalid" if field.errors else ""] if c)
    attrs = {"class": classes} if classes else {}
    if kind == "selectmultiple":
        attrs["data-searchable-select"] = ""  # enhanced by static/iodp/js/searchable-select.js
    return field.as_widget(attrs=attrs or None)


@register.filter
def is_checkbox(field) -> bool:
    return type(field.field.widget).__name__ == "CheckboxInput"


@register.filter
def is_wide(field) -> bool:
    """Text areas and multiple choices take the whole row of a form grid."""
    kind = type(field.field.widget).__name__
    return kind in {"Textarea", "CheckboxSelectMultiple", "SelectMultiple"}


@register.filter
def verbose_name_plural(model) -> str:
    return str(model._meta.verbose_name_plural)


@register.inclusion_tag("inc/error_summary.html")
def error_summary(form=None, formsets=None):
    """The box at the top of an edit form listing every error, each linked to its field (or list row)."""
    from iodp.core.forms import error_summary as summarize

    return {"errors": summarize(form, formsets)}


@register.filter
def duration_words(value) -> str:
    """A timedelta as people say it: "30 分钟", "1 小时 30 分钟" ("1 hour 30 minutes"), rounded up to the minute."""
    from datetime import timedelta

    from django.utils.translation import ngettext

    if not isinstance(value, timedelta):
        return ""
    minutes = max(1, -(-int(value.total_seconds()) // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d 天", "%(count)d 天", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d 小时", "%(count)d 小时", hours) % {"count": hours})
    if minutes:
        parts.append(ngettext("%(count)d 分钟", "%(count)d 分钟", minutes) % {"count": minutes})
    return " ".join(parts)
