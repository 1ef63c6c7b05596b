"""统计分析: the dashboard, its Excel export and its text summary; each reads `services.insights_cached`."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from iodp.exchange.views import sheets_download
from iodp.exchange.xlsx import SHEET_NAME_MAX, Column, Sheet

from .forms import InsightsFilterForm
from .services import insights_cached, insights_summary


def _insights(request):
    """The filter form and the figures it asks for; a user with no unit (and not the platform admin) has none."""
    user = request.user
    if not user.is_platform_admin and not user.unit_id:
        raise PermissionDenied
    form = InsightsFilterForm(request.GET or None, user=user)
    return form, insights_cached(**form.scope(user))


@login_required
@require_GET
def home(request):
    form, insights = _insights(request)
    return render(request, "insights/home.html", {
        "form": form, "insights": insights, "figures": insights.figures, "summary": insights_summary(insights),
        "query": request.GET.urlencode(),
    })


@login_required
@require_GET
def summary(request):
    form, insights = _insights(request)
    return render(request, "insights/summary.html", {
        "form": form, "insights": insights, "summary": insights_summary(insights), "query": request.GET.urlencode(),
    })


def _name_sheets(sheets: list[Sheet]) -> None:
    """Sheet names Excel accepts: no []:*?/\\, at most 31 characters, none twice (long English titles)."""
    taken = set()
    for number, sheet in enumerate(sheets, start=1):
        name = re.sub(r"[\[\]:*?/\\]", "-", sheet.title)[:SHEET_NAME_MAX]
        if name.lower() in taken:
            suffix = f" {number}"
            name = name[:SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.lower())
        sheet.title = name


def _column(index: int, header: str) -> Column:
    return Column(str(header), lambda row, i=index: row[i], width=40 if index == 0 else 16)


@login_required
@require_GET
def export(request):
    """Every table of the dashboard, one sheet each, with the headline figures and the summary first."""
    form, insights = _insights(request)
    overview = Sheet(_("概览"), [Column(_("指标"), lambda r: r[0], width=40), Column(_("数值"), lambda r: r[1])],
                     [[str(label), value] for label, value in insights.headline()],
                     notes=[insights_summary(insights)])
    sheets = [overview] + [
        Sheet(table.title, [_column(i, h) for i, h in enumerate(table.headers)], table.rows)
        for table in insights.tables
    ]
    _name_sheets(sheets)
    return sheets_download(sheets, f"{_('统计分析')}-{insights.as_of:%Y%m%d}.xlsx")
