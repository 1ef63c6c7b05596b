"""通知公告: notices the platform admin publishes to every unit, their attachments and each unit's receipt (签收)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iodp.core.scoping import UnitScopedQuerySet


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoticeQuerySet":
        """The platform admin reads every notice; a unit's user the published ones; nobody else any."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        if not user.unit_id:
            return self.none()
        return self.filter(status=NoticeStatus.PUBLISHED)

    def editable_by(self, user) -> "NoticeQuerySet":
        """Only the platform admin writes notices."""
        if getattr(user, "is_authenticated", False) and user.is_platform_admin:
            return self
        return self.none()


class Notice(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    deadline = models.DateField(_("截止日期"), null=True, blank=True,
                                help_text=_("需要各单位在某日前完成的事项（如填报截止日期），可不填。"))
    status = models.CharField(_("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        indexes = [models.Index(fields=["status", "-published_at"], name="notice_status_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="notice_published_has_time",
                violation_error_message=_("已发布的通知必须有发布时间。"),
            ),
        ]

    def __str__(self):
        return self.title


class NoticeAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoticeAttachmentQuerySet":
        return self.filter(notice__in=Notice.objects.visible_to(user))


class NoticeAttachment(models.Model):
    """A file sent with a notice (the notice itself as a PDF, a form to fill). Kept in the database, so it is
    written or rolled back with the notice and goes into every backup of it."""

    notice = models.ForeignKey(Notice, verbose_name=_("通知公告"), on_delete=models.CASCADE,
                               related_name="attachments")
    file_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content = models.BinaryField(_("内容"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = NoticeAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.file_name


class NoticeReceipt(models.Model):
    """A unit has received and read a notice (签收): who confirmed it and when."""

    notice = models.ForeignKey(Notice, verbose_name=_("通知公告"), on_delete=models.CASCADE,
                               related_name="receipts")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("单位"), on_delete=models.CASCADE,
                             related_name="notice_receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签收人"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    read_at = models.DateTimeField(_("签收时间"))

    objects = UnitScopedQuerySet.as_manager()  # the platform admin reads every receipt, a unit its own

    class Meta:
        ordering = ["read_at"]
        verbose_name = _("签收回执")
        verbose_name_plural = _("签收回执")
        constraints = [
            models.UniqueConstraint(fields=["notice", "unit"], name="notice_receipt_once_per_unit",
                                    violation_error_message=_("该单位已签收此通知。")),
        ]

    def __str__(self):
        return f"{self.unit} · {self.notice}"
