"""Export and import as services: views, jobs and management commands call these, and every export and import is
logged (who, which list or file, how many rows, whether ID numbers were unmasked, every problem found)."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import progress
from .models import ExportLog, ImportBatch, ImportStatus
from .reading import RefusedFile, read_upload
from .registry import ListExport, RefusedImport, importer_for
from .xlsx import write_workbook

__all__ = ["FILE_LANGUAGE", "RefusedFile", "export_file_to", "export_to", "import_cancel", "import_confirm", "import_retry",
           "import_upload"]

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


def export_file_to(target, *, write, list_name: str, params: str, user, reveal_ids: bool = False) -> ExportLog:
    """Write a download that is not a list (a pre-filled template, a registration form) with `write(target)`,
    which returns the number of records written, in the files' language; and log it like a list's export."""
    with translation.override(FILE_LANGUAGE):
        rows = write(target)
    return ExportLog.objects.create(list_name=list_name, params=params, rows=rows, revealed_ids=reveal_ids,
                                    unit=user.unit, exported_by=user)


def _may_import_for(user, unit) -> bool:
    return user.is_authenticated and unit is not None and (user.is_platform_admin or user.unit_id == unit.pk)


def import_upload(*, kind: str, content: bytes, file_name: str, user, unit, submit: bool = False) -> ImportBatch:
    """Store an uploaded file for `unit` and queue its validation (a background job: nothing is written but the
    batch, whose preview says what would be new / updated / unchanged / invalid, each problem located). A file
    that can't be read at all raises RefusedFile at once, and nothing is stored."""
    importer = importer_for(kind)
    if importer is None or not _may_import_for(user, unit):
        raise PermissionDenied
    with translation.override(FILE_LANGUAGE):  # refused now, on the form, rather than in the job
        importer.check(read_upload(io.BytesIO(content), filename=file_name))
    batch = ImportBatch.objects.create(
        kind=kind, unit=unit, uploaded_by=user, file_name=file_name[:255], content=content, submit=submit,
        status=ImportStatus.QUEUED)
    _enqueue("validate_import", batch)
    return _fresh(batch)


def import_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """确认导入: queue the import of the validated file (validated again in the job: records may have changed
    since the preview); with any problem then, nothing is written and the batch says why."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not _may_import_for(by, batch.unit):
            raise PermissionDenied
        if batch.status != ImportStatus.VALIDATED:
            raise ValidationError(_("该文件已%(status)s，不能再次导入。") % {"status": batch.get_status_display()})
        batch.status, batch.confirmed_by = ImportStatus.COMMITTING, by
        batch.save(update_fields=["status", "confirmed_by"])
    _enqueue("commit_import", batch)
    return _fresh(batch)


def import_retry(*, batch: ImportBatch, by) -> ImportBatch:
    """重新校验 a batch whose job was interrupted (nothing of it was written)."""
    if not _may_import_for(by, batch.unit):
        raise PermissionDenied
    if not ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.FAILED).update(status=ImportStatus.QUEUED):
        raise ValidationError(_("只能重新校验已中断的导入。"))
    _enqueue("validate_import", batch)
    return _fresh(batch)


def import_cancel(*, batch: ImportBatch, by) -> ImportBatch:
    if not _may_import_for(by, batch.unit):
        raise PermissionDenied
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.CANCELLED)
    if not updated:
        raise ValidationError(_("该文件已%(status)s，不能取消。") % {"status": batch.get_status_display()})
    return _fresh(batch)


def _fresh(batch: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.get(pk=batch.pk)


def _enqueue(job: str, batch: ImportBatch) -> None:
    """Queue `job` for the batch. With the database backend the job row is written in the caller's transaction,
    so the worker sees the job exactly when it sees the batch; the immediate backend (tests) runs it now."""
    from . import tasks

    getattr(tasks, job).enqueue(batch.pk)


# --- the jobs' work --------------------------------------------------------------------------------------------

def validate_batch(batch_id: int) -> None:
    _run(batch_id, expected=ImportStatus.QUEUED, working=ImportStatus.VALIDATING, dry_run=True)


def commit_batch(batch_id: int) -> None:
    _run(batch_id, expected=ImportStatus.COMMITTING, working=ImportStatus.COMMITTING, dry_run=False)


def _run(batch_id: int, *, expected: str, working: str, dry_run: bool) -> None:
    """Run the importer on a batch in one transaction and record the outcome. Any failure rolls the records
    back and leaves the batch 中断 (retry: 重新校验)."""
    if not ImportBatch.objects.filter(pk=batch_id, status=expected).update(status=working):
        return  # cancelled meanwhile, or run twice
    batch = ImportBatch.objects.get(pk=batch_id)
    progress.report(batch_id, done=0, total=0)
    try:
        sheets = read_upload(io.BytesIO(bytes(batch.content)), filename=batch.file_name)
        with translation.override(FILE_LANGUAGE):
            result = importer_for(batch.kind).run(
                sheets, user=batch.confirmed_by or batch.uploaded_by, unit=batch.unit, submit=batch.submit,
                dry_run=dry_run, on_progress=lambda done, total: progress.report(batch_id, done=done, total=total))
    except (RefusedFile, RefusedImport) as refusal:
        outcome = {"status": ImportStatus.INVALID, "result": {"problems": [
            {"sheet": "", "row": 0, "column": "", "message": str(refusal.message)}], "invalid": 0}}
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, result={"problems": [], "error": _("导入中断（服务器错误），未写入任何内容。请重新校验后再导入。")})
        progress.clear(batch_id)
        raise
    else:
        if result.ok:
            status = ImportStatus.VALIDATED if dry_run else ImportStatus.COMMITTED
        else:
            status = ImportStatus.INVALID
        outcome = {"status": status, "result": result.as_dict()}
        if status == ImportStatus.COMMITTED:
            outcome["committed_at"] = timezone.now()
    ImportBatch.objects.filter(pk=batch_id).update(**outcome)
    progress.clear(batch_id)
