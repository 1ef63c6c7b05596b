"""Registration and account review. Views, commands and the API call these; they hold the rules."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iodp.core.models import ChangeAction, log_change

from .models import Role, Unit, UnitStatus, User


def _require_platform_admin(user) -> None:
    if not getattr(user, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以执行此操作。"))


@transaction.atomic
def unit_register(*, unit_name: str, unit_type: str, province, admin_name: str, admin_phone: str,
                  admin_email: str, username: str, password: str) -> User:
    """Create a pending unit and its admin account. The account cannot log in until approved."""
    unit = Unit(name=unit_name, unit_type=unit_type, province=province, admin_name=admin_name,
                admin_phone=admin_phone, admin_email=admin_email, status=UnitStatus.PENDING)
    unit.full_clean()
    user = User(username=username, email=admin_email, first_name=unit.admin_name, phone=admin_phone,
                role=Role.UNIT_ADMIN)
    validate_password(password, user)
    unit.save()
    user.unit = unit
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    log_change(obj=unit, action=ChangeAction.CREATE, actor=user, unit=unit, comment=_("单位注册"))
    return user


def _set_status(*, unit: Unit, by, status: str, reason: str, action: str, allowed_from: set[str]) -> Unit:
    _require_platform_admin(by)
    if unit.status not in allowed_from:
        raise ValidationError(
            _("单位当前状态为“%(status)s”，不能执行此操作。") % {"status": unit.get_status_display()}
        )
    before = unit.get_status_display()
    unit.status = status
    unit.status_reason = reason
    unit.reviewed_by = by
    unit.reviewed_at = timezone.now()
    unit.validate_constraints()  # e.g. a rejected unit's name registered again by a newer application
    unit.save(update_fields=["status", "status_reason", "reviewed_by", "reviewed_at"])
    log_change(obj=unit, action=action, actor=by, unit=unit, comment=reason,
               changes=[{"field": "status", "label": str(_("账号状态")), "before": before,
                         "after": unit.get_status_display()}])
    return unit


@transaction.atomic
def unit_approve(*, unit: Unit, by) -> Unit:
    """已通过: the unit's account may log in."""
    return _set_status(unit=unit, by=by, status=UnitStatus.APPROVED, reason="", action=ChangeAction.APPROVE,
                       allowed_from={UnitStatus.PENDING, UnitStatus.REJECTED})


@transaction.atomic
def unit_reject(*, unit: Unit, by, reason: str) -> Unit:
    """已驳回 with a reason the applicant sees when trying to log in."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写驳回原因，申请单位登录时会看到。")})
    return _set_status(unit=unit, by=by, status=UnitStatus.REJECTED, reason=reason.strip(),
                       action=ChangeAction.REJECT, allowed_from={UnitStatus.PENDING})


@transaction.atomic
def unit_suspend(*, unit: Unit, by, reason: str) -> Unit:
    """Stop an approved unit's account from logging in (its sessions end on their next request)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写停用原因。")})
    return _set_status(unit=unit, by=by, status=UnitStatus.SUSPENDED, reason=reason.strip(),
                       action=ChangeAction.SUSPEND, allowed_from={UnitStatus.APPROVED})


@transaction.atomic
def unit_reactivate(*, unit: Unit, by) -> Unit:
    return _set_status(unit=unit, by=by, status=UnitStatus.APPROVED, reason="", action=ChangeAction.REACTIVATE,
                       allowed_from={UnitStatus.SUSPENDED})


#: characters of a temporary password: no 0/O, 1/l/I, so it can be read out over the phone
_TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"


def temporary_password() -> str:
    """Twelve random characters (about 70 bits), read out once to the unit and changed at its next login."""
    import secrets

    return "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(12))


@transaction.atomic
def unit_password_reset(*, user: User, by) -> str:
    """重置密码: the platform admin gives a unit's account a temporary password (a unit that forgot its password
    has no other way back). Returns it, to be shown once; the account must set its own at the next login, its
    login lockouts are cleared and its other sessions end. The log says who reset it, never the password."""
    from axes.utils import reset as axes_reset

    _require_platform_admin(by)
    if user.role == Role.PLATFORM_ADMIN:
        raise ValidationError(_("平台管理员的密码请用 manage.py ensure_admin 重置。"))
    password = temporary_password()
    user.set_password(password)  # a new password hash: Django ends the account's other sessions
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.get_username())
    log_change(obj=user.unit, action=ChangeAction.SAVE, actor=by, unit=user.unit,
               changes=[{"field": "password", "label": str(_("密码")), "before": "", "after": ""}],
               comment=_("平台管理员重置了账号 %(username)s 的密码") % {"username": user.get_username()})
    return password


def platform_admin_find(username: str) -> User | None:
    """The platform admin called `username`, else the first platform admin (None when there is none)."""
    admins = User.objects.filter(role=Role.PLATFORM_ADMIN).order_by("pk")
    return admins.filter(username=username).first() or admins.first()


def platform_admin_ensure(*, username: str, password: str | None, email: str = "") -> tuple[User, str | None]:
    """Make sure a platform admin exists. Returns (user, generated password or None)."""
    existing = platform_admin_find(username)
    if existing:
        return existing, None
    generated = None
    user = User(username=username, email=email, role=Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True)
    if password:
        validate_password(password, user)
    else:
        import secrets

        generated = password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    return user, generated


@transaction.atomic
def platform_admin_password_set(*, user: User, password: str, how: str) -> bool:
    """Set the platform admin's password from the operator's side (no old password: this is how access is
    recovered). Clears the login lockouts of that username and logs the change; False when it was already set."""
    from axes.utils import reset as axes_reset

    validate_password(password, user)
    if user.check_password(password):
        return False
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=user.get_username())
    log_change(obj=user, action=ChangeAction.SAVE, actor=None,
               changes=[{"field": "password", "label": str(_("密码")), "before": "", "after": ""}],
               comment=_("平台管理员密码已由运维重置（%(how)s）") % {"how": how})
    return True
