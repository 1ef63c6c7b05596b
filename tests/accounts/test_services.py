import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iodp.accounts import services
from iodp.accounts.models import UnitStatus
from iodp.core.models import ChangeLog

from ..conftest import make_unit_user


def test_registration_creates_pending_unit_that_cannot_log_in(pending_user):
    assert pending_user.unit.status == UnitStatus.PENDING
    assert "正在审核中" in pending_user.login_refusal()


def test_approval_lets_the_unit_in_and_is_logged(platform_admin, pending_user):
    services.unit_approve(unit=pending_user.unit, by=platform_admin)
    pending_user.unit.refresh_from_db()
    assert pending_user.login_refusal() is None
    entry = ChangeLog.objects.filter(object_id=pending_user.unit.pk, action="approve").get()
    assert entry.actor == platform_admin
    assert entry.changes[0]["after"] == "已通过"


def test_rejection_needs_a_reason_and_shows_it(platform_admin, pending_user):
    with pytest.raises(ValidationError):
        services.unit_reject(unit=pending_user.unit, by=platform_admin, reason="  ")
    services.unit_reject(unit=pending_user.unit, by=platform_admin, reason="单位名称与证明材料不符")
    pending_user.unit.refresh_from_db()
    assert "单位名称与证明材料不符" in pending_user.login_refusal()


def test_a_unit_user_cannot_approve(unit_user, pending_user):
    with pytest.raises(PermissionDenied):
        services.unit_approve(unit=pending_user.unit, by=unit_user)
    pending_user.unit.refresh_from_db()
    assert pending_user.unit.status == UnitStatus.PENDING


def test_suspend_and_reactivate(platform_admin, unit_user):
    services.unit_suspend(unit=unit_user.unit, by=platform_admin, reason="数据核查")
    unit_user.unit.refresh_from_db()
    assert "已被停用" in unit_user.login_refusal()
    with pytest.raises(ValidationError):
        services.unit_approve(unit=unit_user.unit, by=platform_admin)  # approve is not the way back
    services.unit_reactivate(unit=unit_user.unit, by=platform_admin)
    unit_user.unit.refresh_from_db()
    assert unit_user.login_refusal() is None


def test_unit_names_are_unique_ignoring_case(pending_user):
    with pytest.raises(ValidationError):
        make_unit_user("someone", pending_user.unit.name.upper())


def test_weak_password_is_refused(db):
    with pytest.raises(ValidationError):
        from iodp.reference.models import Region

        services.unit_register(unit_name="丁学会", unit_type="other", province=Region.objects.first(),
                               admin_name="李四", admin_phone="13800138000", admin_email="a@b.cn",
                               username="ding", password="12345678")


def test_platform_admin_ensure_generates_a_password_once(db):
    user, generated = services.platform_admin_ensure(username="root", password=None)
    assert generated and user.check_password(generated) and user.is_platform_admin
    again, second = services.platform_admin_ensure(username="root", password=None)
    assert again == user and second is None


def test_a_rejected_unit_registers_anew_under_the_same_name(platform_admin, pending_user):
    services.unit_reject(unit=pending_user.unit, by=platform_admin, reason="请附单位全称")
    again = make_unit_user("unit_p2", pending_user.unit.name, unit_type="university")
    assert again.unit.status == UnitStatus.PENDING and again.unit.pk != pending_user.unit.pk
    old = type(pending_user.unit).objects.get(pk=pending_user.unit.pk)
    assert old.status == UnitStatus.REJECTED and old.status_reason == "请附单位全称"
    assert ChangeLog.objects.filter(object_id=old.pk, action="reject").exists()  # its history stays


def test_a_name_in_use_by_a_pending_or_approved_unit_stays_taken(platform_admin, unit_user, pending_user):
    for name in (unit_user.unit.name, pending_user.unit.name.upper()):
        with pytest.raises(ValidationError, match="该单位名称已注册"):
            make_unit_user("someone_else", name)


def test_approving_an_old_rejected_unit_whose_name_was_registered_again_is_refused(platform_admin, pending_user):
    services.unit_reject(unit=pending_user.unit, by=platform_admin, reason="材料不全")
    make_unit_user("unit_p2", pending_user.unit.name, unit_type="university")
    with pytest.raises(ValidationError, match="该单位名称已注册"):
        services.unit_approve(unit=pending_user.unit, by=platform_admin)
    pending_user.unit.refresh_from_db()
    assert pending_user.unit.status == UnitStatus.REJECTED


def test_login_refusal_of_a_rejected_unit_explains_how_to_register_again(platform_admin, pending_user):
    services.unit_reject(unit=pending_user.unit, by=platform_admin, reason="材料不全")
    pending_user.unit.refresh_from_db()
    refusal = pending_user.login_refusal()
    assert "材料不全" in refusal and "重新注册" in refusal and "新的用户名" in refusal
