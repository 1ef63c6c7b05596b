"""Typed input is not lost silently: a warning before the session ends (with 保持登录), and before leaving."""

from playwright.sync_api import expect

from iodp.accounts.models import Role, User

from ..conftest import PASSWORD, make_unit_user
from .conftest import login


def test_a_changed_form_warns_before_the_session_ends_and_before_leaving(page, settings):
    settings.SESSION_COOKIE_AGE = 9 * 60  # already inside the 10-minute warning window
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    make_unit_user("unit_e2e", "戊省科学技术协会", approve_by=admin)
    login(page, "unit_e2e", PASSWORD)
    page.goto(page.base_url + "/organizations/plans/new/")
    warning = page.locator("[data-testid=session-warning]")
    expect(warning).to_have_count(0)  # nothing typed yet: nothing to lose

    page.fill("textarea[name=reason]", "参与国际标准制定")
    expect(warning).to_contain_text("分钟后过期")
    warning.locator("button", has_text="保持登录").click()
    expect(warning).to_contain_text("已延长登录时间")

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("a.navbar-brand").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/organizations/plans/new/")
    expect(page.locator("textarea[name=reason]")).to_have_value("参与国际标准制定")
