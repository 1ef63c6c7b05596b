"""导出 (a list as .xlsx, with the list's own filters) and 导入 (upload → preview → confirm, and the log)."""

import tempfile
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iodp.core import clock
from iodp.core.pagination import paginate

from . import progress, services
from .forms import ImportForm
from .models import ExportLog, ExportStatus, ImportBatch, ImportStatus
from .registry import RefusedImport, download_title, export_for, importer_for, registered_imports
from .xlsx import write_form, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def export(request, list_name: str):
    """The list `list_name` (a URL name such as organizations:list) as filtered by the query string. ID numbers
    stay masked unless the platform admin asks for them with reveal_ids=1 (logged). A list longer than
    IODP_EXPORT_INLINE_ROWS is exported by a background job: the user is sent to its page (progress, then the
    download)."""
    export = export_for(list_name)
    if export is None:
        raise Http404(_("该列表不提供导出。"))
    reveal = export.has_id_numbers and request.user.is_platform_admin and request.GET.get("reveal_ids") == "1"
    if services.export_in_background(export=export, request=request, reveal_ids=reveal):
        log = services.export_queue(export=export, request=request, reveal_ids=reveal)
        messages.info(request, _("列表较长，已转为后台导出：完成后可在本页下载，也可离开本页，稍后在“我的导出”中下载。"))
        return redirect(log.get_absolute_url())
    target = tempfile.TemporaryFile()
    services.export_to(target, export=export, request=request, reveal_ids=reveal)
    target.seek(0)
    return _xlsx_response(target, f"{export.title}-{clock.today():%Y%m%d}.xlsx")


def _xlsx_response(file, filename: str) -> FileResponse:
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


# --- 我的导出: the export jobs of the user's unit (the platform admin: all) -----------------------------------------

def _export_or_404(request, pk):
    log = get_object_or_404(ExportLog.objects.visible_to(request.user).select_related("unit", "exported_by"), pk=pk)
    services.fail_silent_jobs(exports=[log])
    return log


def _export_title(log: ExportLog) -> str:
    export = export_for(log.list_name)
    if export is not None:
        return str(export.title)
    title = download_title(log.list_name)
    return str(title) if title is not None else log.list_name


def _export_progress(log: ExportLog) -> dict:
    data = {"status": log.status, **progress.read("export", log.pk)}
    if log.status == ExportStatus.QUEUED:
        data["label"] = _("排队中，等待后台任务开始……")
    elif log.status == ExportStatus.RUNNING:
        if not data["total"]:
            data["label"] = _("正在准备导出，请稍候……")
        elif data["done"] >= data["total"]:  # every row written: the file is being put together
            data["label"] = _("已写入全部 %(total)s 行，正在生成文件……") % data
        else:
            data["label"] = _("已写入 %(done)s / %(total)s 行") % data
    return data


@login_required
@require_GET
def export_list(request):
    logs = ExportLog.objects.visible_to(request.user).select_related("unit", "exported_by")
    page = paginate(request, logs)
    services.fail_silent_jobs(exports=page)
    for log in page:
        log.title = _export_title(log)
    return render(request, "exchange/export_list.html", {"page": page, "keep_days": settings.IODP_EXPORT_KEEP_DAYS})


@login_required
@require_GET
def export_detail(request, pk: int):
    log = _export_or_404(request, pk)
    export = export_for(log.list_name)
    list_url = f"{reverse(export.url_name)}?{log.params}" if export is not None else ""
    return render(request, "exchange/export_detail.html", {
        "log": log, "title": _export_title(log), "filters": unquote_plus(log.params), "list_url": list_url,
        "progress": _export_progress(log)})


@login_required
@require_GET
def export_progress(request, pk: int):
    """How far the export's job has come (the page's progress bar polls it)."""
    log = _export_or_404(request, pk)
    return JsonResponse(_export_progress(log), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def export_download(request, pk: int):
    """The file of a finished export job, for its unit's users and the platform admin."""
    log = _export_or_404(request, pk)
    if log.status != ExportStatus.DONE or not log.file:
        raise Http404(_("该导出没有可下载的文件。"))
    try:
        file = open(log.file.path, "rb")  # FileResponse closes it
    except FileNotFoundError:
        raise Http404(_("该导出没有可下载的文件。")) from None
    return _xlsx_response(file, f"{_export_title(log)}-{timezone.localtime(log.exported_at):%Y%m%d}.xlsx")


@login_required
@require_POST
def export_retry(request, pk: int):
    log = _export_or_404(request, pk)
    try:
        services.export_retry(log=log, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(log.get_absolute_url())


# --- 导入: upload → preview → confirm, and the log ------------------------------------------------------------

def _importer_or_404(kind: str):
    importer = importer_for(kind)
    if importer is None:
        raise Http404
    return importer


@login_required
@require_GET
def template(request, kind: str):
    """The blank template of `kind` (填表说明 and the sheets, with drop-down lists)."""
    importer = _importer_or_404(kind)
    target = tempfile.TemporaryFile()
    with translation.override(services.FILE_LANGUAGE):
        write_workbook(target, importer.template())
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=f"{importer.title}导入模板.xlsx",
                        content_type=XLSX)


@login_required
@require_GET
def template_form(request, kind: str):
    """The blank single-record form of `kind` (专家信息登记表), where the kind has one."""
    importer = _importer_or_404(kind)
    if importer.form is None:
        raise Http404
    target = tempfile.TemporaryFile()
    with translation.override(services.FILE_LANGUAGE):
        form = importer.form()
        write_form(target, form)
    return xlsx_download(target, f"{form.title}.xlsx")


def xlsx_download(target, filename: str) -> FileResponse:
    """A written workbook (`target`, a file) as a download that no cache keeps."""
    target.seek(0)
    return _xlsx_response(target, filename)


def sheets_download(sheets, filename: str) -> FileResponse:
    """`sheets` (`xlsx.Sheet`s) written to a temporary workbook, as a download that no cache keeps."""
    target = tempfile.TemporaryFile()
    write_workbook(target, sheets)
    return xlsx_download(target, filename)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind: str):
    importer = _importer_or_404(kind)
    if not (request.user.is_platform_admin or request.user.unit_id):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        unit = form.cleaned_data.get("unit") or request.user.unit
        try:
            batch = services.import_upload(kind=kind, content=upload.read(), file_name=upload.name,
                                           user=request.user, unit=unit, submit=form.cleaned_data["submit"])
        except (services.RefusedFile, RefusedImport) as refusal:
            form.add_error("file", refusal.message)
        else:
            return redirect(batch.get_absolute_url())
    return render(request, "exchange/import_form.html", {"form": form, "importer": importer})


def _batch_or_404(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user).defer(*ImportBatch.FILE_FIELDS), pk=pk)
    services.fail_silent_jobs(batches=[batch])
    return batch


@login_required
@require_GET
def import_detail(request, pk: int):
    batch = _batch_or_404(request, pk)
    return render(request, "exchange/import_detail.html", {
        "batch": batch, "importer": importer_for(batch.kind), "result": batch.result,
        "problems": batch.result.get("problems", []), "warnings": batch.result.get("warnings", []),
        "can_confirm": batch.status == ImportStatus.VALIDATED, "progress": _progress(batch)})


def _progress(batch) -> dict:
    data = {"status": batch.status, **progress.read("import", batch.pk)}
    if batch.is_running:
        importer = importer_for(batch.kind)
        label = importer.progress if importer is not None and importer.progress else _("已处理 %(done)s / %(total)s 行")
        data["label"] = str(label) % data if data["total"] else _("正在读取文件，请稍候……")
    return data


@login_required
@require_GET
def import_progress(request, pk: int):
    """How far the batch's job has come (the page's progress bar polls it)."""
    batch = _batch_or_404(request, pk)
    return JsonResponse(_progress(batch), json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = _batch_or_404(request, pk)
    action = request.POST.get("action")
    try:
        if action == "cancel":
            services.import_cancel(batch=batch, by=request.user)
            messages.info(request, _("已取消，未导入任何内容。"))
        elif action == "retry":
            services.import_retry(batch=batch, by=request.user)
        else:
            batch = services.import_confirm(batch=batch, by=request.user)
            # Queued (the page shows the job's progress), or done at once when jobs run immediately.
            if batch.status == ImportStatus.COMMITTED:
                messages.success(request, _("导入完成：新增 %(new)s 条，更新 %(updated)s 条，未变化 %(unchanged)s 条。")
                                 % batch.result)
            elif batch.status == ImportStatus.INVALID:
                messages.error(request, _("导入未执行：重新校验时发现问题（数据可能在预览后被修改），未写入任何内容。"))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except (services.RefusedFile, RefusedImport) as refusal:
        messages.error(request, refusal.message)
    return redirect(batch.get_absolute_url())


@login_required
@require_GET
def import_list(request):
    batches = ImportBatch.objects.visible_to(request.user).select_related("unit", "uploaded_by").defer(*ImportBatch.FILE_FIELDS)
    page = paginate(request, batches)
    services.fail_silent_jobs(batches=page)
    return render(request, "exchange/import_list.html", {"page": page, "importers": registered_imports().values()})
