"""Export and import as services: views, jobs and management commands call these, and every export and import is
logged (who, which list or file, how many rows, whether ID numbers were unmasked, every problem found)."""

import contextlib
import datetime
import io
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import progress
from .models import ExportLog, ExportStatus, ImportBatch, ImportStatus, export_storage
from .reading import RefusedFile, kept_reading, read_upload, reading_kept
from .registry import ListExport, RefusedImport, export_for, importer_for
from .xlsx import row_count, write_workbook

__all__ = ["FILE_LANGUAGE", "RefusedFile", "export_cleanup", "export_file_to", "export_in_background", "export_queue",
           "export_retry", "export_run", "export_to", "import_cancel", "import_confirm", "import_retry", "import_upload"]

#: Files are written and read in Chinese whatever the reader's UI language: the notice's templates, and one
#: format, so a sheet exported from the English UI imports anywhere.
FILE_LANGUAGE = "zh-hans"


def export_to(target, *, export: ListExport, request, reveal_ids: bool = False, on_row=None) -> ExportLog:
    """Write `export`'s sheets for `request` (its user and query string) to `target`, and log it."""
    with translation.override(FILE_LANGUAGE):
        sheets = export.sheets(request, reveal_ids=reveal_ids)
        rows = write_workbook(target, sheets, on_row=on_row)[0]  # the list's own rows (the first sheet)
    return ExportLog.objects.create(
        list_name=export.url_name, params=_stored_params(request), rows=rows, revealed_ids=reveal_ids,
        unit=request.user.unit, exported_by=request.user)


def export_file_to(target, *, write, list_name: str, params: str, user, reveal_ids: bool = False) -> ExportLog:
    """Write a download that is not a list (a pre-filled template, a registration form) with `write(target)`,
    which returns the number of records written, in the files' language; and log it like a list's export."""
    with translation.override(FILE_LANGUAGE):
        rows = write(target)
    return ExportLog.objects.create(list_name=list_name, params=params, rows=rows, revealed_ids=reveal_ids,
                                    unit=user.unit, exported_by=user)


def _stored_params(request) -> str:
    params = request.GET.copy()
    params.pop("reveal_ids", None)  # recorded as revealed_ids, and granted again by the job only to an admin
    return params.urlencode()


# --- 导出 as a background job: a list too long to build inside the request ----------------------------------------

#: what a failed export job tells its user (stored untranslated, shown in the reader's language)
EXPORT_INTERRUPTED = gettext_noop("导出中断（服务器错误），未生成文件。请点击“重试”再次导出。")
EXPORT_UNAVAILABLE = gettext_noop("该列表已不提供导出，或导出人的账号已删除：无法生成文件。")


def export_in_background(*, export: ListExport, request, reveal_ids: bool = False) -> bool:
    """Whether `export`, as `request` filters it, has more rows than settings.IODP_EXPORT_INLINE_ROWS: such a list
    is exported by a background job (export_queue), a smaller one downloads at once (export_to)."""
    with translation.override(FILE_LANGUAGE):
        sheets = export.sheets(request, reveal_ids=reveal_ids)
    count = row_count(sheets[0]) if sheets else 0
    return count is not None and count > settings.IODP_EXPORT_INLINE_ROWS


def export_queue(*, export: ListExport, request, reveal_ids: bool = False) -> ExportLog:
    """Queue the export of `export` as `request` (its user and query string) filters it, and log it. The job
    re-runs the list's query as that user, so the file holds what the list showed them, masked alike. Expired
    files of earlier exports are removed on the way."""
    export_cleanup()
    log = ExportLog.objects.create(
        list_name=export.url_name, params=_stored_params(request), revealed_ids=reveal_ids,
        unit=request.user.unit, exported_by=request.user, status=ExportStatus.QUEUED)
    _enqueue_export(log)
    return ExportLog.objects.get(pk=log.pk)


def export_retry(*, log: ExportLog, by) -> ExportLog:
    """重试 a failed export job (nothing of it was kept: it starts again from the list's query)."""
    if not ExportLog.objects.visible_to(by).filter(pk=log.pk).exists():
        raise PermissionDenied
    if not ExportLog.objects.filter(pk=log.pk, status=ExportStatus.FAILED).update(
            status=ExportStatus.QUEUED, error="", finished_at=None):
        raise ValidationError(_("只能重试失败的导出。"))
    _enqueue_export(log)
    return ExportLog.objects.get(pk=log.pk)


def _enqueue_export(log: ExportLog) -> None:
    from . import tasks

    tasks.run_export.enqueue(log.pk)


def _replayed_request(user, params: str) -> HttpRequest:
    """The request an export is built from, as its user made it: the same user and the same query string."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(params)
    request.user = user
    return request


def export_run(log_id: int) -> None:
    """The job: write the export's file and record the outcome. The file is written under a temporary name and
    renamed once complete, so a job killed halfway leaves no file anyone can download (and the job can be
    retried); any failure marks the export 导出失败 with the reason."""
    if not ExportLog.objects.filter(pk=log_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING):
        return  # run twice, or removed meanwhile
    log = ExportLog.objects.select_related("exported_by").get(pk=log_id)
    progress.report("export", log_id, done=0, total=0)
    name = f"{log_id}-{secrets.token_hex(8)}.xlsx"
    storage = export_storage()
    final = Path(storage.path(name))
    partial = final.with_name(final.name + ".part")
    export, user = export_for(log.list_name), log.exported_by
    if export is None or user is None:
        _export_failed(log_id, EXPORT_UNAVAILABLE)
        return
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        request = _replayed_request(user, log.params)
        with translation.override(FILE_LANGUAGE):
            sheets = export.sheets(request, reveal_ids=log.revealed_ids and user.is_platform_admin)
            total = sum(row_count(sheet) or 0 for sheet in sheets)
            progress.report("export", log_id, done=0, total=total)
            rows = write_workbook(str(partial), sheets, on_row=lambda done: progress.report(
                "export", log_id, done=done, total=total))[0]
        os.replace(partial, final)
    except BaseException:  # an error, or the worker being stopped (SystemExit) mid-file: retryable, no file left
        _export_failed(log_id, EXPORT_INTERRUPTED)
        with contextlib.suppress(OSError):  # the folder itself may be what failed
            partial.unlink(missing_ok=True)
        raise
    ExportLog.objects.filter(pk=log_id).update(status=ExportStatus.DONE, file=name, rows=rows,
                                               finished_at=timezone.now(), error="")
    progress.clear("export", log_id)


IMPORT_INTERRUPTED = gettext_noop("导入中断（服务器错误），未写入任何内容。请重新校验后再导入。")
JOB_STOPPED_EXPORT = gettext_noop("导出中断（后台任务已停止，可能是服务器重启），未生成文件。请点击“重试”再次导出。")
JOB_STOPPED_IMPORT = gettext_noop("导入中断（后台任务已停止，可能是服务器重启），未写入任何内容。请重新校验后再导入。")


def fail_silent_jobs(*, exports=(), batches=()) -> None:
    """Mark the running jobs among `exports` (ExportLog) and `batches` (ImportBatch) that have reported no progress
    for IODP_JOB_SILENCE_MINUTES as interrupted, with their retry (重试 / 重新校验), and update the objects given.
    A job killed outright (out of memory, a restart) records nothing itself; its transaction was rolled back, so
    nothing of it was written. A job still waiting in the queue has not reported at all and is left alone."""
    limit = settings.IODP_JOB_SILENCE_MINUTES * 60
    now = timezone.now()
    for log in exports:
        silent = progress.silent_for("export", log.pk) if log.status == ExportStatus.RUNNING else None
        if silent is not None and silent > limit and ExportLog.objects.filter(
                pk=log.pk, status=ExportStatus.RUNNING).update(status=ExportStatus.FAILED, error=JOB_STOPPED_EXPORT,
                                                               finished_at=now):
            log.status, log.error, log.finished_at = ExportStatus.FAILED, JOB_STOPPED_EXPORT, now
            progress.clear("export", log.pk)
    for batch in batches:
        silent = progress.silent_for("import", batch.pk) if batch.status in (
            ImportStatus.VALIDATING, ImportStatus.COMMITTING) else None
        if silent is not None and silent > limit:
            result = {"problems": [], "error": JOB_STOPPED_IMPORT}
            if ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(status=ImportStatus.FAILED,
                                                                                   result=result):
                batch.status, batch.result = ImportStatus.FAILED, result
                progress.clear("import", batch.pk)


def _export_failed(log_id: int, message: str) -> None:
    ExportLog.objects.filter(pk=log_id).update(status=ExportStatus.FAILED, error=message, finished_at=timezone.now())
    progress.clear("export", log_id)


def export_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Remove the files of exports finished more than settings.IODP_EXPORT_KEEP_DAYS ago (their log stays, without
    a file), and partial files that killed jobs left behind as long ago. Returns how many files went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IODP_EXPORT_KEEP_DAYS)
    removed = 0
    for log in ExportLog.objects.filter(finished_at__lt=cutoff).exclude(file="").only("pk", "file"):
        log.file.delete(save=False)
        ExportLog.objects.filter(pk=log.pk).update(file="")
        removed += 1
    folder = Path(export_storage().location)
    if folder.is_dir():
        for partial in folder.glob("*.part"):
            if partial.stat().st_mtime < cutoff.timestamp():
                partial.unlink(missing_ok=True)
                removed += 1
    return removed


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
        sheets = read_upload(io.BytesIO(content), filename=file_name)
        importer.check(sheets)
    batch = ImportBatch.objects.create(
        kind=kind, unit=unit, uploaded_by=user, file_name=file_name[:255], content=content,
        sheets=kept_reading(sheets), submit=submit, status=ImportStatus.QUEUED)
    _enqueue("validate_import", batch)
    return _fresh(batch)


def import_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """确认导入: queue the import of the validated file (validated again in the job: records may have changed
    since the preview); with any problem then, nothing is written and the batch says why."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().defer(*ImportBatch.FILE_FIELDS).get(pk=batch.pk)
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
    return ImportBatch.objects.defer(*ImportBatch.FILE_FIELDS).get(pk=batch.pk)


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
    progress.report("import", batch_id, done=0, total=0)
    try:
        sheets = reading_kept(batch.sheets)  # the upload's reading (else, for a batch kept without it, the file's)
        if sheets is None:
            sheets = read_upload(io.BytesIO(bytes(batch.content)), filename=batch.file_name)
        with translation.override(FILE_LANGUAGE):
            result = importer_for(batch.kind).run(
                sheets, user=batch.confirmed_by or batch.uploaded_by, unit=batch.unit, submit=batch.submit,
                dry_run=dry_run, on_progress=lambda done, total: progress.report("import", batch_id, done=done, total=total))
    except (RefusedFile, RefusedImport) as refusal:
        outcome = {"status": ImportStatus.INVALID, "result": {"problems": [
            {"sheet": "", "row": 0, "column": "", "message": str(refusal.message)}], "invalid": 0}}
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, result={"problems": [], "error": _(IMPORT_INTERRUPTED)})
        progress.clear("import", batch_id)
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
    progress.clear("import", batch_id)
