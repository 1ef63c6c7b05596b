"""国际组织: one national registry of international S&T organizations, shared by every unit.

An organization record is created by a unit (or the platform admin) through the shared workflow; once
approved it is visible to all units. Units never overwrite an approved organization directly.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iodp.core.workflow import RecordStatus, WorkflowRecord


class Organization(WorkflowRecord):
    """An international organization in the national registry."""

    name_zh = models.CharField(_("中文名称"), max_length=200, blank=True)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    acronym = models.CharField(_("英文缩写"), max_length=32, blank=True, db_index=True)

    draft_required_fields = ()
    submit_required_fields = ("name_zh", "name_en")
    url_namespace = "organizations"

    class Meta:
        verbose_name = _("国际组织")
        verbose_name_plural = _("国际组织")

    def __str__(self):
        if self.acronym and self.name_zh:
            return f"{self.name_zh}（{self.acronym}）"
        return self.name_zh or self.name_en or self.acronym or str(_("未命名组织"))

    @classmethod
    def visible_for(cls, user):
        """Approved organizations are shared by every unit; drafts only by their unit and the platform admin."""
        if not getattr(user, "is_authenticated", False):
            return cls.objects.none()
        if user.is_platform_admin:
            return cls.objects.all()
        return cls.objects.filter(
            Q(status=RecordStatus.APPROVED, revision_of__isnull=True) | Q(unit_id=user.unit_id)
        )

    def draft_errors(self):
        errors = super().draft_errors()
        if not (self.name_zh or self.name_en):
            errors["name_zh"] = [str(_("保存草稿前请至少填写中文名称或英文名称。"))]
        return errors
