import pytest
from django.urls import reverse

from iodp.accounts.models import Unit, UnitStatus, User
from iodp.reference.models import Region

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def registration_data(**overrides):
    data = {
        "unit_type": "national_society", "unit_name": "中国测试学会", "province": Region.objects.get(code="110000").pk,
        "admin_name": "赵六", "admin_phone": "010-68571234", "admin_email": "zhao@example.cn",
        "username": "cts", "password1": PASSWORD, "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, follow=True)


def test_register_then_pending_login_is_refused_with_a_clear_message(client):
    response = client.post(reverse("accounts:register"), registration_data())
    assert response.status_code == 302 and response.url == reverse("accounts:register_done")
    unit = Unit.objects.get(name="中国测试学会")
    assert unit.status == UnitStatus.PENDING and unit.admin_phone == "+861068571234"
    response = login(client, "cts")
    assert "正在审核中" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_registration_errors_are_shown_in_chinese_and_keep_input(client, unit_user):
    response = client.post(reverse("accounts:register"), registration_data(
        unit_name=unit_user.unit.name, admin_phone="12345", admin_email="not-an-email", password2="other",
    ))
    page = response.content.decode()
    assert response.status_code == 200
    assert "该单位名称已注册" in page
    assert "请输入有效的电话号码" in page
    assert "两次输入的密码不一致" in page
    assert 'value="赵六"' in page  # nothing typed is lost
    assert not User.objects.filter(username="cts").exists()


def test_admin_approves_and_the_unit_logs_in_and_sees_the_shell(client, admin_client_, pending_user):
    response = admin_client_.get(reverse("accounts:unit_list") + "?status=pending")
    assert pending_user.unit.name in response.content.decode()
    response = admin_client_.post(reverse("accounts:unit_action", args=[pending_user.unit.pk, "approve"]))
    assert response.status_code == 302
    response = login(client, "unit_p")
    page = response.content.decode()
    assert response.status_code == 200
    for module in ["机构管理", "国际组织", "专家信息", "统计分析", "新增国际组织", "新增计划加入国际组织", "新增专家",
                   "新增后备专家", "草稿箱"]:
        assert module in page
    assert pending_user.unit.name in page


def test_rejection_reason_is_shown_at_login(client, admin_client_, pending_user):
    admin_client_.post(reverse("accounts:unit_action", args=[pending_user.unit.pk, "reject"]),
                       {"reason": "请使用单位全称重新注册"})
    pending_user.unit.refresh_from_db()
    assert pending_user.unit.status == UnitStatus.REJECTED
    response = login(client, "unit_p")
    assert "已被驳回" in response.content.decode() and "请使用单位全称重新注册" in response.content.decode()


def test_reject_without_reason_changes_nothing(admin_client_, pending_user):
    response = admin_client_.post(reverse("accounts:unit_action", args=[pending_user.unit.pk, "reject"]),
                                  {"reason": ""}, follow=True)
    assert "请填写驳回原因" in response.content.decode()
    pending_user.unit.refresh_from_db()
    assert pending_user.unit.status == UnitStatus.PENDING


def test_suspension_ends_an_open_session(unit_client, admin_client_, unit_user):
    assert unit_client.get(reverse("core:home")).status_code == 200
    admin_client_.post(reverse("accounts:unit_action", args=[unit_user.unit.pk, "suspend"]), {"reason": "数据核查"})
    response = unit_client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "已被停用" in response.content.decode()


def test_unit_users_and_anonymous_cannot_reach_account_review(client, unit_client, pending_user):
    for name, args in [("accounts:unit_list", []), ("accounts:unit_review", [pending_user.unit.pk])]:
        assert unit_client.get(reverse(name, args=args)).status_code == 404
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    url = reverse("accounts:unit_action", args=[pending_user.unit.pk, "approve"])
    assert unit_client.post(url).status_code == 404
    assert client.post(url).status_code == 302
    pending_user.unit.refresh_from_db()
    assert pending_user.unit.status == UnitStatus.PENDING


def test_failed_logins_are_throttled(client, unit_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "unit_a", "password": "wrong-password"})
    response = client.post(reverse("accounts:login"), {"username": "unit_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录已被暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_message_is_chinese(client, unit_user):
    response = login(client, "unit_a", "nope")
    assert "请输入一个正确的" in response.content.decode()


def test_password_change_and_logout(unit_client, unit_user):
    response = unit_client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "An0ther-Secret!", "new_password2": "An0ther-Secret!"})
    assert response.status_code == 302
    unit_user.refresh_from_db()
    assert unit_user.check_password("An0ther-Secret!")
    response = unit_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    response = unit_client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_rejected_unit_registers_again_under_its_name_and_the_admin_sees_both(client, admin_client_,
                                                                               pending_user):
    name = pending_user.unit.name
    admin_client_.post(reverse("accounts:unit_action", args=[pending_user.unit.pk, "reject"]),
                       {"reason": "请使用单位全称重新注册"})
    page = login(client, "unit_p").content.decode()
    assert "已被驳回" in page and "重新注册" in page and reverse("accounts:register") in page

    response = client.post(reverse("accounts:register"), registration_data(unit_name=name, username="unit_p"))
    assert "该用户名属于已被驳回的注册申请" in response.content.decode()  # the old account keeps its name
    response = client.post(reverse("accounts:register"), registration_data(unit_name=name, username="unit_p_new"))
    assert response.status_code == 302 and response.url == reverse("accounts:register_done")
    assert "正在审核中" in login(client, "unit_p_new").content.decode()

    units = Unit.objects.filter(name=name)
    assert sorted(units.values_list("status", flat=True)) == [UnitStatus.PENDING, UnitStatus.REJECTED]
    page = admin_client_.get(reverse("accounts:unit_list")).content.decode()
    for unit in units:
        assert reverse("accounts:unit_review", args=[unit.pk]) in page
    assert "已驳回" in page and "待审核" in page
