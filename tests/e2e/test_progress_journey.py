import datetime

from playwright.sync_api import expect

from iodp.core import clock

from ..conftest import PASSWORD
from .conftest import login, logout, shot


def test_admin_creates_a_campaign_and_follows_progress_then_a_unit_sees_the_deadline(page, two_units):
    deadline = clock.today() + datetime.timedelta(days=20)
    login(page, "center", PASSWORD)

    page.click("#sidebar >> text=填报管理")
    page.click("[data-testid=campaign-create]")
    page.fill("input[name=name]", "2022年国际组织数据填报")
    page.fill("input[name=starts_on]", clock.today().isoformat())
    page.fill("input[name=deadline]", deadline.isoformat())
    page.fill("textarea[name=notes]", "请各单位按时填报。")
    shot(page, "campaign-form")
    page.click("[data-testid=campaign-form] button[type=submit]")
    expect(page.locator("[data-testid=campaigns]")).to_contain_text("2022年国际组织数据填报")

    page.click("#sidebar >> text=填报进度")
    expect(page.locator("[data-testid=progress-row]")).to_have_count(2)
    page.check("#f-nothing")
    page.click("[data-testid=progress-filters] button[type=submit]")
    expect(page.locator("[data-testid=progress-table]")).to_contain_text("未提交任何数据")
    expect(page.locator("[data-testid=progress-row]")).to_have_count(2)
    page.select_option("select[name=unit_type]", "national_society")
    page.click("[data-testid=progress-filters] button[type=submit]")
    expect(page.locator("[data-testid=progress-row]")).to_have_count(1)
    expect(page.locator("[data-testid=progress-table]")).to_contain_text("己学会")
    shot(page, "progress-admin")

    logout(page)
    login(page, "unit_e2e", PASSWORD)
    panel = page.locator("[data-testid=campaign-panel]")
    expect(panel).to_contain_text("2022年国际组织数据填报")
    expect(panel).to_contain_text(deadline.isoformat())
    expect(panel).to_contain_text("还剩 20 天")
    shot(page, "progress-unit-home")
