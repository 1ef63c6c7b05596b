from django import template

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
    """E.164 numbers shown as people write them (+86 138 0013 8000)."""
    import phonenumbers

    if not value:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(value, "CN"),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return value


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
    return field.as_widget(attrs={"class": classes} if classes else None)


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
