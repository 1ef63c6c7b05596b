"""通知公告: the platform admin writes, publishes and withdraws notices; each unit confirms it has read one (签收).
Every function checks who may do it, so a view, the API or a command cannot skip the rule."""

import mimetypes
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from iodp.accounts.models import Unit, UnitStatus
from iodp.core.models import ChangeAction, log_change

from .models import Notice, NoticeAttachment, NoticeReceipt, NoticeStatus

NOTICE_FIELDS = ["title", "body", "deadline"]
#: what may be attached: documents, spreadsheets, archives and images a notice is sent with
ATTACHMENT_EXTENSIONS = {".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".csv", ".ppt", ".pptx",
                         ".txt", ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png"}


def _require_platform_admin(user) -> None:
    if not getattr(user, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以管理通知公告。"))


def _changes(notice: Notice, before: dict) -> list[dict]:
    return [{"field": name, "label": str(notice._meta.get_field(name).verbose_name),
             "before": "" if before.get(name) is None else str(before[name]),
             "after": "" if getattr(notice, name) is None else str(getattr(notice, name))}
            for name in NOTICE_FIELDS + ["status"] if str(before.get(name)) != str(getattr(notice, name))]


def _snapshot(notice: Notice) -> dict:
    return {name: getattr(notice, name) for name in NOTICE_FIELDS + ["status"]}


def clean_file_name(name: str) -> str:
    """The name a file is kept and offered under: its last path part, without control characters, at most 255
    characters (the extension kept)."""
    name = os.path.basename(str(name).replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    stem, extension = os.path.splitext(name)
    return (stem[: 255 - len(extension)] + extension) if name else ""


def _attachment(upload) -> NoticeAttachment:
    """An unsaved attachment from an uploaded file (anything with name, size and chunks() or read()); refused with
    a Chinese reason when it is empty, too large or of a kind not allowed."""
    name = clean_file_name(getattr(upload, "name", ""))
    if not name:
        raise ValidationError(_("附件缺少文件名。"), code="attachment_name")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(_("附件“%(name)s”的类型不允许上传；可以上传：%(kinds)s。") % {
            "name": name, "kinds": "、".join(sorted(e.lstrip(".") for e in ATTACHMENT_EXTENSIONS))},
            code="attachment_type")
    limit = settings.IODP_NOTICE_ATTACHMENT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_("附件“%(name)s”超过 %(limit)s，无法上传。") % {
            "name": name, "limit": filesizeformat(limit)}, code="attachment_size")
    chunks = upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
    content = bytearray()
    for chunk in chunks:
        content += chunk
        if len(content) > limit:
            raise ValidationError(_("附件“%(name)s”超过 %(limit)s，无法上传。") % {
                "name": name, "limit": filesizeformat(limit)}, code="attachment_size")
    if not content:
        raise ValidationError(_("附件“%(name)s”是空文件。") % {"name": name}, code="attachment_empty")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return NoticeAttachment(file_name=name, content_type=content_type, size=len(content), content=bytes(content))


def _store_attachments(notice: Notice, uploads: Iterable, remove: Iterable[int]) -> list[dict]:
    """Add `uploads` and remove the attachments with ids in `remove`; the change-log lines for both."""
    changes = []
    remove = {int(pk) for pk in remove}
    if remove:
        gone = list(notice.attachments.filter(pk__in=remove).values_list("file_name", flat=True))
        notice.attachments.filter(pk__in=remove).delete()
        changes += [{"field": "attachments", "label": str(_("附件")), "before": name, "after": ""} for name in gone]
    new = [_attachment(upload) for upload in uploads]
    kept = notice.attachments.count()
    if kept + len(new) > settings.IODP_NOTICE_ATTACHMENTS_MAX:
        raise ValidationError(_("每条通知最多 %(count)d 个附件。") % {"count": settings.IODP_NOTICE_ATTACHMENTS_MAX},
                              code="attachment_count")
    for attachment in new:
        attachment.notice = notice
    NoticeAttachment.objects.bulk_create(new)
    changes += [{"field": "attachments", "label": str(_("附件")), "before": "", "after": a.file_name} for a in new]
    return changes


@transaction.atomic
def notice_save(*, by, notice: Notice | None = None, title: str, body: str, deadline=None, attachments=(),
                remove_attachments=(), publish: bool = False) -> Notice:
    """Create a notice (a draft, or published at once with `publish`) or change one; a published notice may be
    corrected and stays published. Attachments are added and removed in the same transaction."""
    _require_platform_admin(by)
    creating = notice is None
    if creating:
        notice = Notice(created_by=by)
        before = dict.fromkeys(NOTICE_FIELDS + ["status"])
    else:
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        before = _snapshot(notice)
    notice.title, notice.body, notice.deadline = (title or "").strip(), (body or "").strip(), deadline
    if publish and notice.status != NoticeStatus.PUBLISHED:
        notice.status, notice.published_at = NoticeStatus.PUBLISHED, timezone.now()
    notice.full_clean()
    notice.save()
    changes = _changes(notice, before) + _store_attachments(notice, attachments, remove_attachments)
    if creating or changes:
        action = ChangeAction.CREATE if creating else ChangeAction.SAVE
        log_change(obj=notice, action=action, actor=by, changes=changes)
        if publish and not creating and before["status"] != NoticeStatus.PUBLISHED:
            log_change(obj=notice, action=ChangeAction.PUBLISH, actor=by)
    return notice


@transaction.atomic
def notice_publish(*, notice: Notice, by) -> Notice:
    """Publish a draft or a withdrawn notice: every unit sees it on its home page from now on."""
    _require_platform_admin(by)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status == NoticeStatus.PUBLISHED:
        raise ValidationError(_("该通知已发布。"), code="already_published")
    before = _snapshot(notice)
    notice.status, notice.published_at = NoticeStatus.PUBLISHED, timezone.now()
    notice.full_clean()
    notice.save(update_fields=["status", "published_at", "updated_at"])
    log_change(obj=notice, action=ChangeAction.PUBLISH, actor=by, changes=_changes(notice, before))
    return notice


@transaction.atomic
def notice_withdraw(*, notice: Notice, by) -> Notice:
    """Take a published notice back: units no longer see it; its receipts are kept (publishing again shows them)."""
    _require_platform_admin(by)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的通知可以撤回。"), code="not_published")
    before = _snapshot(notice)
    notice.status = NoticeStatus.WITHDRAWN
    notice.save(update_fields=["status", "updated_at"])
    log_change(obj=notice, action=ChangeAction.WITHDRAW, actor=by, changes=_changes(notice, before))
    return notice


@transaction.atomic
def notice_delete(*, notice: Notice, by) -> None:
    """Delete a notice that was never published (a published one is withdrawn instead, so its receipts stay)."""
    _require_platform_admin(by)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("已发布过的通知不能删除，可以撤回。"), code="not_draft")
    log_change(obj=notice, action=ChangeAction.DELETE, actor=by, snapshot={"title": notice.title})
    notice.delete()


def notice_acknowledge(*, notice: Notice, by) -> NoticeReceipt:
    """The reader's unit confirms it has received `notice` (签收); confirming again keeps the first receipt."""
    if getattr(by, "is_platform_admin", False) or not getattr(by, "unit_id", None):
        raise PermissionDenied(_("只有单位账号可以签收通知。"))
    if not Notice.objects.visible_to(by).filter(pk=notice.pk).exists():
        raise PermissionDenied(_("该通知不存在或已撤回。"))
    existing = NoticeReceipt.objects.filter(notice=notice, unit_id=by.unit_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            receipt = NoticeReceipt.objects.create(notice=notice, unit_id=by.unit_id, user=by, read_at=timezone.now())
            log_change(obj=notice, action=ChangeAction.ACKNOWLEDGE, actor=by, unit=by.unit)
    except IntegrityError:  # the unit's other session confirmed it in the meantime
        return NoticeReceipt.objects.get(notice=notice, unit_id=by.unit_id)
    return receipt


# --- reads ------------------------------------------------------------------------------------------------------

def notices_for(user):
    """The notices `user` may read, newest first, each with `receipt_count` (units that confirmed) and, for a
    unit's user, `read_at` (when its unit confirmed, or None)."""
    notices = Notice.objects.visible_to(user).annotate(receipt_count=Count("receipts", distinct=True))
    if getattr(user, "unit_id", None) and not user.is_platform_admin:
        from django.db.models import OuterRef, Subquery

        notices = notices.annotate(read_at=Subquery(NoticeReceipt.objects.filter(
            notice=OuterRef("pk"), unit_id=user.unit_id).values("read_at")[:1]))
    return notices.order_by("-published_at", "-id")


def unread_for(user, *, limit: int = 5) -> tuple[list[Notice], int]:
    """A unit's published notices it has not confirmed yet: the newest `limit` of them, and how many there are."""
    if not getattr(user, "unit_id", None) or user.is_platform_admin:
        return [], 0
    unread = Notice.objects.visible_to(user).exclude(receipts__unit_id=user.unit_id).order_by("-published_at", "-id")
    notices = list(unread[:limit])
    count = len(notices) if len(notices) < limit else unread.count()
    return notices, count


def audience_count() -> int:
    """How many units a notice is sent to: every approved unit."""
    return Unit.objects.filter(status=UnitStatus.APPROVED).count()


@dataclass
class ReceiptRow:
    unit: Unit
    receipt: NoticeReceipt | None


def receipts(notice: Notice, *, unread_only: bool = False) -> list[ReceiptRow]:
    """Every approved unit (and any other that confirmed), with its receipt of `notice` or None: confirmed ones
    first by time, then the others by name. Two queries whatever the number of units."""
    received = {r.unit_id: r for r in NoticeReceipt.objects.filter(notice=notice).select_related("user")}
    units = Unit.objects.filter(Q(status=UnitStatus.APPROVED) | Q(pk__in=list(received))).order_by("name")
    rows = [ReceiptRow(unit, received.get(unit.pk)) for unit in units]
    if unread_only:
        rows = [row for row in rows if row.receipt is None]
    return sorted(rows, key=lambda row: (row.receipt is None, row.receipt.read_at if row.receipt else 0))
