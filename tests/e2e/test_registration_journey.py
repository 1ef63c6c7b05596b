from playwright.sync_api import expect

from iodp.accounts.models import Role, User

from ..conftest import PASSWORD
from .conftest import login, logout, shot


def test_register_approve_login_and_see_the_modules(page):
    User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)

    # A unit registers on the public page.
    page.goto(page.base_url + "/accounts/register/")
    shot(page, "01-register")
    page.select_option("select[name=unit_type]", "national_society")
    page.fill("input[name=unit_name]", "中国浏览器测试学会")
    page.select_option("select[name=province]", label="上海市")
    page.fill("input[name=admin_name]", "周八")
    page.fill("input[name=admin_phone]", "13912345678")
    page.fill("input[name=admin_email]", "zhou@example.cn")
    page.fill("input[name=username]", "browser_unit")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h2")).to_have_text("注册申请已提交")

    # Pending: login is refused with a clear message.
    login(page, "browser_unit", PASSWORD)
    expect(page.locator(".alert-danger")).to_contain_text("正在审核中")
    shot(page, "02-login-pending")

    # The platform admin approves it.
    login(page, "center", PASSWORD)
    expect(page.locator("h1")).to_contain_text("平台管理员")
    page.click("text=去审核")
    shot(page, "03-registrations")
    page.click("text=中国浏览器测试学会")
    page.click("button:has-text('通过')")
    expect(page.locator(".alert-success")).to_contain_text("已批准")
    logout(page)

    # The unit logs in and sees the shell with its three modules.
    login(page, "browser_unit", PASSWORD)
    expect(page.locator("[data-testid=unit-name]")).to_have_text("中国浏览器测试学会")
    modules = page.locator("[data-testid=modules]")
    for label in ["机构管理", "国际组织", "专家信息", "统计分析"]:
        expect(modules).to_contain_text(label)
    shot(page, "04-home")

    # English switch, then a phone-sized screen still reaches the sidebar.
    page.click("button:has-text('English')")
    expect(page.locator("[data-testid=modules]")).to_contain_text("International organizations")
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("button[aria-controls=sidebar]")
    expect(page.locator("#sidebar")).to_contain_text("New reserve expert")
    shot(page, "05-home-phone-en")
