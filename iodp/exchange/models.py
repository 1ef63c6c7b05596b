"""What was exported, by whom: the audit trail of data leaving the platform (and of every unmasked ID number)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-exported_at", "-id"]

    def __str__(self):
        return f"{self.list_name} · {self.rows}"
