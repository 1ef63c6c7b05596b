"""Export and import as services: views, jobs and management commands call these, and every export and import is
logged (who, which list or file, how many rows, whether ID numbers were unmasked, every problem found)."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ExportLog, ImportBatch, ImportStatus
from .reading import RefusedFile, read_upload
from .registry import ListExport, importer_for
from .xlsx import write_workbook

__all__ = ["FILE_LANGUAGE", "RefusedFile", "export_to", "import_cancel", "import_confirm", "import_upload"]

#: Files are written and read in Chinese whatever the reader's UI language: the notice's templates, and one
#: format, so a sheet exported from the English UI imports anywhere.
FILE_LANGUAGE = "zh-hans"


def export_to(target, *, export: ListExport, request, reveal_ids: bool = False, on_row=None) -> ExportLog:
    """Write `export`'s sheets for `request` (its user and query string) to `target`, and log it."""
    with translation.override(FILE_LANGUAGE):
        sheets = export.sheets(request, reveal_ids=reveal_ids)
        rows = write_workbook(target, sheets, on_row=on_row)[0]  # the list's own rows (the first sheet)
    params = request.GET.copy()
    params.pop("reveal_ids", None)
    return ExportLog.objects.create(
        list_name=export.url_name, params=params.urlencode(), rows=rows, revealed_ids=reveal_ids,
        unit=request.user.unit, exported_by=request.user)


def _may_import_for(user, unit) -> bool:
    return user.is_authenticated and unit is not None and (user.is_platform_admin or user.unit_id == unit.pk)


def import_upload(*, kind: str, content: bytes, file_name: str, user, unit, submit: bool = False) -> ImportBatch:
    """Read and validate an uploaded file for `unit` without writing any record: the batch holds the preview
    (new / updated / unchanged / invalid, each problem located). A file that can't be read raises RefusedFile
    (or the importer's RefusedImport) and nothing is stored."""
    importer = importer_for(kind)
    if importer is None or not _may_import_for(user, unit):
        raise PermissionDenied
    sheets = read_upload(io.BytesIO(content), filename=file_name)
    with translation.override(FILE_LANGUAGE):
        result = importer.run(sheets, user=user, unit=unit, submit=submit, dry_run=True)
    return ImportBatch.objects.create(
        kind=kind, unit=unit, uploaded_by=user, file_name=file_name[:255], content=content, submit=submit,
        status=ImportStatus.VALIDATED if result.ok else ImportStatus.INVALID, result=result.as_dict())


def import_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """确认导入: import the validated file in one transaction (validated again: records may have changed since
    the preview). With any problem now, nothing is written and the batch says why."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not _may_import_for(by, batch.unit):
            raise PermissionDenied
        if batch.status != ImportStatus.VALIDATED:
            raise ValidationError(_("该文件已%(status)s，不能再次导入。") % {"status": batch.get_status_display()})
        sheets = read_upload(io.BytesIO(bytes(batch.content)), filename=batch.file_name)
        with translation.override(FILE_LANGUAGE):
            result = importer_for(batch.kind).run(sheets, user=by, unit=batch.unit, submit=batch.submit)
        batch.result = result.as_dict()
        batch.status = ImportStatus.COMMITTED if result.ok else ImportStatus.INVALID
        batch.committed_at = timezone.now() if result.ok else None
        batch.save(update_fields=["result", "status", "committed_at"])
    return batch


def import_cancel(*, batch: ImportBatch, by) -> ImportBatch:
    if not _may_import_for(by, batch.unit):
        raise PermissionDenied
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.CANCELLED)
    if not updated:
        raise ValidationError(_("该文件已%(status)s，不能取消。") % {"status": batch.get_status_display()})
    batch.refresh_from_db()
    return batch
