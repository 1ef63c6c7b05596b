"""通知公告: thin views over `services`. A unit reads published notices and confirms them (签收); the platform
admin writes, publishes and withdraws them and follows the receipts. What a reader may not see answers 404."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iodp.core import clock
from iodp.core.access import platform_admin_required
from iodp.exchange.views import sheets_download
from iodp.exchange.xlsx import Column, Sheet

from . import services
from .forms import NoticeForm
from .models import Notice, NoticeAttachment, NoticeReceipt, NoticeStatus

PAGE_SIZE = 20


def _visible(request, pk) -> Notice:
    return get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)


def _editable(request, pk) -> Notice:
    return get_object_or_404(Notice.objects.editable_by(request.user), pk=pk)


def _message_of(error: ValidationError) -> str:
    return "；".join(error.messages)


@login_required
@require_GET
def notice_list(request):
    user = request.user
    if not user.is_platform_admin and not user.unit_id:
        raise Http404
    notices = services.notices_for(user)
    status = request.GET.get("status", "")
    if user.is_platform_admin and status in NoticeStatus.values:
        notices = notices.filter(status=status)
    unread = request.GET.get("unread") == "1" and not user.is_platform_admin
    if unread:
        notices = notices.exclude(receipts__unit_id=user.unit_id)
    page = Paginator(notices.defer("body"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {
        "page": page, "status": status, "unread": unread, "statuses": NoticeStatus.choices,
        "audience": services.audience_count() if user.is_platform_admin else None,
    })


@login_required
@require_GET
def notice_detail(request, pk):
    notice = _visible(request, pk)
    user = request.user
    context = {"notice": notice, "attachments": notice.attachments.defer("content"), "today": clock.today()}
    if user.is_platform_admin:
        context.update(receipt_count=notice.receipts.count(), audience=services.audience_count())
    else:
        context["receipt"] = NoticeReceipt.objects.filter(notice=notice, unit_id=user.unit_id).select_related(
            "user").first()
    return render(request, "notices/detail.html", context)


@platform_admin_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk=None):
    notice = _editable(request, pk) if pk is not None else None
    form = NoticeForm(request.POST or None, request.FILES or None, instance=notice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.notice_save(
                by=request.user, notice=notice, title=data["title"], body=data["body"], deadline=data["deadline"],
                attachments=data["attachments"], remove_attachments=[a.pk for a in data.get("remove_attachments") or []],
                publish="publish" in request.POST)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error("attachments", error)
        else:
            if saved.status == NoticeStatus.PUBLISHED:
                messages.success(request, _("通知已发布，各单位将在首页看到。") if "publish" in request.POST
                                 else _("通知已保存。"))
            else:
                messages.success(request, _("通知已保存为草稿，尚未发布。"))
            return redirect("notices:detail", pk=saved.pk)
    return render(request, "notices/form.html", {"form": form, "notice": notice})


def _action(request, pk, service, done: str):
    notice = _editable(request, pk)
    try:
        service(notice=notice, by=request.user)
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(request, done)
        if service is services.notice_delete:
            return redirect("notices:list")
    return redirect("notices:detail", pk=notice.pk)


@platform_admin_required
@require_POST
def notice_publish(request, pk):
    return _action(request, pk, services.notice_publish, _("通知已发布，各单位将在首页看到。"))


@platform_admin_required
@require_POST
def notice_withdraw(request, pk):
    return _action(request, pk, services.notice_withdraw, _("通知已撤回，各单位不再看到。"))


@platform_admin_required
@require_POST
def notice_delete(request, pk):
    return _action(request, pk, services.notice_delete, _("草稿已删除。"))


@login_required
@require_POST
def notice_acknowledge(request, pk):
    notice = _visible(request, pk)
    try:
        services.notice_acknowledge(notice=notice, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("已签收。"))
    return redirect("notices:detail", pk=notice.pk)


def _receipt_rows(request, notice):
    return services.receipts(notice, unread_only=request.GET.get("unread") == "1")


@platform_admin_required
@require_GET
def notice_receipts(request, pk):
    notice = _editable(request, pk)
    rows = _receipt_rows(request, notice)
    confirmed = notice.receipts.count()
    return render(request, "notices/receipts.html", {
        "notice": notice, "rows": rows, "unread": request.GET.get("unread") == "1", "confirmed": confirmed,
        "audience": services.audience_count(), "query": request.GET.urlencode(),
    })


@platform_admin_required
@require_GET
def notice_receipts_export(request, pk):
    notice = _editable(request, pk)
    rows = _receipt_rows(request, notice)
    columns = [
        Column(_("单位名称"), lambda r: r.unit.name, width=36),
        Column(_("单位类型"), lambda r: r.unit.get_unit_type_display(), width=16),
        Column(_("签收状态"), lambda r: _("已签收") if r.receipt else _("未签收")),
        Column(_("签收时间"), lambda r: localtime(r.receipt.read_at).strftime("%Y-%m-%d %H:%M")
               if r.receipt else "", width=18),
        Column(_("签收人"), lambda r: (r.receipt.user.get_full_name() or r.receipt.user.username)
               if r.receipt and r.receipt.user else "", width=18),
    ]
    return sheets_download([Sheet(_("签收情况"), columns, rows, notes=[notice.title])],
                           f"{_('签收情况')}-{clock.today():%Y%m%d}.xlsx")


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(NoticeAttachment.objects.visible_to(request.user), pk=pk)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.file_name)
    response["Cache-Control"] = "private, no-store"
    return response
