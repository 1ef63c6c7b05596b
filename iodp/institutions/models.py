"""机构管理: each unit's profile, kept through the shared save / submit / review workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from iodp.accounts.models import UnitType
from iodp.core.fields import NormalizedCharField
from iodp.core.phones import format_phone
from iodp.core.validators import validate_phone
from iodp.core.workflow import WorkflowRecord, revision_index


class Institution(WorkflowRecord):
    """A unit's profile. One official profile per unit; edits of an approved profile are revisions."""

    name_zh = NormalizedCharField(_("中文名称"), max_length=200)
    name_en = NormalizedCharField(_("英文名称"), max_length=300, blank=True)
    unit_type = models.CharField(_("单位类型"), max_length=32, choices=UnitType.choices, blank=True)
    province = models.ForeignKey("reference.Region", verbose_name=_("所在地（省级）"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    city = models.CharField(_("所在城市"), max_length=64, blank=True)
    address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    website = models.URLField(_("官方网址"), max_length=300, blank=True)
    description = models.TextField(_("简介"), max_length=4000, blank=True)
    admin_name = NormalizedCharField(_("数据库管理员姓名"), max_length=64, blank=True)
    admin_phone = models.CharField(_("数据库管理员电话"), max_length=32, blank=True, validators=[validate_phone])
    admin_email = models.EmailField(_("数据库管理员邮箱"), blank=True)
    completeness = models.PositiveSmallIntegerField(_("完整度"), default=0, editable=False, db_index=True)

    workflow_children = ("contacts",)
    draft_required_fields = ("name_zh",)
    submit_required_fields = ("name_zh", "unit_type", "province", "city", "admin_name", "admin_phone",
                              "admin_email")
    #: fields a complete profile has (completeness indicator); "contacts" means at least one contact.
    recommended_fields = ("name_zh", "name_en", "unit_type", "province", "city", "address", "website",
                          "description", "admin_name", "admin_phone", "admin_email", "contacts")
    url_namespace = "institutions"

    class Meta:
        verbose_name = _("机构信息")
        verbose_name_plural = _("机构信息")
        indexes = [revision_index("institution_revision_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(revision_of__isnull=True), name="institution_one_per_unit",
                violation_error_message=_("本单位已有机构信息，请编辑已有记录。"),
            )
        ]

    def __str__(self):
        return self.name_zh

    def missing_recommended(self) -> list[str]:
        """Labels of the recommended fields that are still empty."""
        missing = []
        for name in self.recommended_fields:
            if name == "contacts":
                if not self.pk or not self.contacts.exists():
                    missing.append(str(_("联系人")))
            elif getattr(self, name) in (None, ""):
                missing.append(str(self._meta.get_field(name).verbose_name))
        return missing

    def compute_completeness(self) -> int:
        total = len(self.recommended_fields)
        return round(100 * (total - len(self.missing_recommended())) / total)

    def refresh_derived(self) -> None:
        self.completeness = self.compute_completeness()
        type(self).objects.filter(pk=self.pk).update(completeness=self.completeness)

    def submit_errors(self):
        errors = super().submit_errors()
        if not self.contacts.exists():
            errors["contacts"] = [str(_("提交前请至少填写一位联系人。"))]
        return errors


class InstitutionContact(models.Model):
    """A contact person of a unit (联系人)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="contacts")
    name = NormalizedCharField(_("姓名"), max_length=64)
    role = models.CharField(_("职务/角色"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True, validators=[validate_phone])
    email = models.EmailField(_("邮箱"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")

    def __str__(self):
        parts = [self.name, self.role, format_phone(self.phone), self.email]
        return " · ".join(p for p in parts if p)
