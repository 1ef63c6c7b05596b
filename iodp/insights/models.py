"""填报: a reporting campaign, the period in which every unit is asked to enter or update its data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingCampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportingCampaignQuerySet":
        """Every signed-in user may read the campaigns (a unit sees its deadline); nobody else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self


class ReportingCampaign(models.Model):
    name = models.CharField(_("填报名称"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("截止日期"))
    notes = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("进行中"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ReportingCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("填报")
        verbose_name_plural = _("填报")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="campaign_one_active",
                violation_error_message=_("同一时间只能有一个进行中的填报。"),
            ),
            models.CheckConstraint(condition=models.Q(deadline__gte=models.F("starts_on")),
                                   name="campaign_deadline_after_start",
                                   violation_error_message=_("截止日期不能早于开始日期。")),
        ]

    def __str__(self):
        return self.name
