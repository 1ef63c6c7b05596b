"""使用手册: one page with every section, readable before logging in (it explains registration) and printable."""

from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from .content import PDF_NAME, PDF_PATH, SECTIONS


@require_GET
def manual(request):
    return render(request, "manual/index.html", {
        "sections": SECTIONS,
        "pdf_url": static(PDF_NAME) if PDF_PATH.exists() else "",
    })
