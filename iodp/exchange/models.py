"""What was exported and imported, by whom: the audit trail of data leaving and entering the platform."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iodp.core.scoping import UnitScopedQuerySet


class ExportLog(models.Model):
    list_name = models.CharField(_("列表"), max_length=64)
    params = models.TextField(_("筛选条件"), blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    revealed_ids = models.BooleanField(_("含完整证件号码"), default=False)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("单位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导出人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField(_("导出时间"), auto_now_add=True, db_index=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-exported_at", "-id"]

    def __str__(self):
        return f"{self.list_name} · {self.rows}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("等待校验")
    VALIDATING = "validating", _("校验中")
    VALIDATED = "validated", _("已校验，待确认")
    INVALID = "invalid", _("有错误，未导入")
    COMMITTING = "committing", _("导入中")
    COMMITTED = "committed", _("已导入")
    CANCELLED = "cancelled", _("已取消")
    FAILED = "failed", _("中断，未导入")


#: states in which a background job works on the batch (the page shows its progress)
RUNNING_STATES = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.COMMITTING)


class ImportBatch(models.Model):
    """One uploaded file: validated on upload (nothing written), committed on confirmation in one transaction.
    The unit can revisit it (counts, every problem with its sheet, row and column)."""

    kind = models.CharField(_("导入类型"), max_length=32)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(editable=False)
    submit = models.BooleanField(_("导入后直接提交审核"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:import_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATES
