"""Export as a service: views, jobs and management commands write workbooks the same way, and every export is
logged (who, which list, which filters, how many rows, whether ID numbers were unmasked)."""

from .models import ExportLog
from .registry import ListExport
from .xlsx import write_workbook


def export_to(target, *, export: ListExport, request, reveal_ids: bool = False, on_row=None) -> ExportLog:
    """Write `export`'s sheets for `request` (its user and query string) to `target`, and log it."""
    sheets = export.sheets(request, reveal_ids=reveal_ids)
    rows = write_workbook(target, sheets, on_row=on_row)[0]  # the list's own rows (the first sheet)
    params = request.GET.copy()
    params.pop("reveal_ids", None)
    return ExportLog.objects.create(
        list_name=export.url_name, params=params.urlencode(), rows=rows, revealed_ids=reveal_ids,
        unit=request.user.unit, exported_by=request.user)
