"""Units (the member organizations that register) and their users."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from iodp.core.fields import NormalizedCharField
from iodp.core.scoping import UnitScopedQuerySet
from iodp.core.validators import validate_phone


class UnitType(models.TextChoices):
    PROVINCIAL = "provincial", _("省级科协")
    NATIONAL_SOCIETY = "national_society", _("全国学会")
    ENTERPRISE = "enterprise", _("企业科协")
    UNIVERSITY = "university", _("高校科协")
    OTHER = "other", _("其他")


class UnitStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已驳回")
    SUSPENDED = "suspended", _("已停用")


class Unit(models.Model):
    """A member unit: it registers one account and owns the records it enters."""

    name = NormalizedCharField(_("单位名称"), max_length=200)
    unit_type = models.CharField(_("单位类型"), max_length=32, choices=UnitType.choices)
    province = models.ForeignKey(
        "reference.Region", verbose_name=_("所在地（省级）"), on_delete=models.PROTECT, related_name="units"
    )
    admin_name = NormalizedCharField(_("单位管理员姓名"), max_length=64)
    admin_phone = models.CharField(_("单位管理员电话"), max_length=32, validators=[validate_phone])
    admin_email = models.EmailField(_("单位管理员邮箱"))
    status = models.CharField(
        _("账号状态"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.PENDING, db_index=True
    )
    status_reason = models.TextField(_("驳回或停用原因"), blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            # A rejected application does not hold its name: the unit may register anew under it, while the
            # rejected unit and its account keep their history.
            models.UniqueConstraint(
                Lower("name"), name="unit_name_unique", condition=~models.Q(status="rejected"),
                violation_error_message=_("该单位名称已注册。"),
            )
        ]

    #: str() is the name: a drop-down of units reads just the names (`core.widgets.light_choices`)
    plain_name_str = True

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == UnitStatus.APPROVED


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    UNIT_ADMIN = "unit_admin", _("单位管理员")


class ScopedUserManager(UserManager.from_queryset(UnitScopedQuerySet)):
    """Django's user manager, with `visible_to` / `editable_by`: a unit admin sees its own unit's accounts."""


class User(AbstractUser):
    """A person who logs in: a platform admin (no unit) or a unit admin (exactly one unit)."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.UNIT_ADMIN)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("电话"), max_length=32, blank=True, validators=[validate_phone])
    #: set when the platform admin gave the account a temporary password: every page asks for a new one first
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="platform_admin") | models.Q(unit__isnull=False),
                name="user_unit_admin_has_unit",
                violation_error_message=_("单位管理员必须属于一个单位。"),
            )
        ]

    @property
    def is_platform_admin(self) -> bool:
        return self.is_authenticated and self.role == Role.PLATFORM_ADMIN

    def login_refusal(self) -> str | None:
        """Why this account may not use the platform now, or None when it may."""
        if self.role == Role.PLATFORM_ADMIN:
            return None
        unit = self.unit
        if unit is None:
            return str(_("该账号未关联任何单位，请联系平台管理员。"))
        if unit.status == UnitStatus.PENDING:
            return str(_("您的注册申请正在审核中，审核通过后即可登录。"))
        if unit.status == UnitStatus.REJECTED:
            reason = unit.status_reason or _("未说明")
            return str(_("您的注册申请已被驳回。原因：%(reason)s。修改后可重新注册：单位名称可以沿用，"
                         "请设置新的用户名。") % {"reason": str(reason).rstrip("。.")})
        if unit.status == UnitStatus.SUSPENDED:
            reason = unit.status_reason or _("未说明")
            return str(_("该单位账号已被停用。原因：%(reason)s") % {"reason": reason})
        return None
