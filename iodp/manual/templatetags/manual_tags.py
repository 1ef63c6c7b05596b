from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..content import screen_path

register = template.Library()


@register.simple_tag
def figure(name: str, caption: str = ""):
    """A screenshot of the real page (from the browser tests) with its caption; where `make manual` has not
    produced it yet, the caption alone, saying so."""
    if not screen_path(name).exists():
        return format_html('<p class="manual-missing text-muted small">［{}：{}］</p>', _("截图待生成"), caption)
    return format_html(
        '<figure class="manual-figure"><a href="{src}" target="_blank" rel="noopener">'
        '<img src="{src}" alt="{caption}" loading="lazy" class="img-fluid border rounded"></a>'
        '<figcaption class="small text-muted mt-1">{caption}</figcaption></figure>',
        src=static(f"manual/screens/{name}.jpg"), caption=caption,
    )
