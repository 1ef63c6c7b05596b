from django import template

from iodp.reference.currencies import currency_display as _currency_display

register = template.Library()


@register.filter
def currency_display(code: str) -> str:
    """A stored ISO code with its name: 欧元（EUR）."""
    return _currency_display(code)
