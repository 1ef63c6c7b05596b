"""What was exported and imported, by whom: the audit trail of data leaving and entering the platform."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iodp.core.scoping import UnitScopedQuerySet


class ExportStorage(FileSystemStorage):
    """The files of export jobs, under settings.IODP_EXPORT_DIR (read on each use, so a test can move it). Never
    served as media: only the download view hands a file out, to the exporting unit or the platform admin."""

    @property
    def base_location(self):
        return str(settings.IODP_EXPORT_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def export_storage() -> ExportStorage:
    return ExportStorage()


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在导出")
    DONE = "done", _("已完成")
    FAILED = "failed", _("导出失败")


class ExportLog(models.Model):
    """One export: downloaded at once (a small list: no file kept), or a background job that writes the file
    for a later download (a large list). The job re-runs the list's query with `params` as `exported_by`."""

    list_name = models.CharField(_("列表"), max_length=64)
    params = models.TextField(_("筛选条件"), blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    revealed_ids = models.BooleanField(_("含完整证件号码"), default=False)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("单位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导出人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField(_("导出时间"), auto_now_add=True, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.DONE)
    file = models.FileField(_("文件"), storage=export_storage, max_length=255, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-exported_at", "-id"]

    def __str__(self):
        return f"{self.list_name} · {self.rows}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:export_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def is_job(self) -> bool:
        """A background job (its page shows progress and the download), not a download made at once."""
        return bool(self.file) or self.status != ExportStatus.DONE or self.finished_at is not None


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
    #: the file as the upload's check read it (reading.kept_reading), which the jobs take instead of reading it again
    sheets = models.BinaryField(null=True, editable=False)
    submit = models.BooleanField(_("导入后直接提交审核"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = UnitScopedQuerySet.as_manager()

    #: the file and its reading (megabytes): deferred wherever the batch is only shown
    FILE_FIELDS = ("content", "sheets")

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
