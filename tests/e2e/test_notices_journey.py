"""通知公告 in a browser: the platform admin writes a notice with an attachment and publishes it; a unit sees it
on its home page, downloads the attachment and confirms it with 签收; the platform admin follows the receipts.
The screenshots feed the user manual (notice-form, notice-unit-home, notice-receipts)."""

import datetime

from playwright.sync_api import expect

from iodp.core import clock

from ..conftest import PASSWORD
from .conftest import login, logout, shot

TITLE = "关于开展2022年国际组织数据填报工作的通知"


def test_admin_publishes_a_notice_a_unit_confirms_it_and_the_admin_sees_who_did(page, two_units):
    deadline = clock.today() + datetime.timedelta(days=30)
    login(page, "center", PASSWORD)

    page.click("#sidebar >> text=通知公告")
    page.click("[data-testid=notice-create]")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=body]", "各单位：\n请于截止日期前登录平台，填报本单位加入的国际组织和任职专家信息。\n填报说明见附件。")
    page.fill("input[name=deadline]", deadline.isoformat())
    page.set_input_files("input[name=attachments]", files=[
        {"name": "填报说明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% IODP notice\n"}])
    shot(page, "notice-form")
    page.click("[data-testid=notice-submit]")
    expect(page.locator("[data-testid=notice-title]")).to_have_text(TITLE)
    expect(page.locator("[data-testid=notice-receipt-count]")).to_contain_text("已签收 0/2 个单位")
    expect(page.locator("[data-testid=notice-attachments]")).to_contain_text("填报说明.pdf")

    logout(page)
    login(page, "unit_e2e", PASSWORD)
    panel = page.locator("[data-testid=notice-panel]")
    expect(panel.locator("[data-testid=notice-unread-count]")).to_contain_text("1 条未签收")
    expect(panel.locator("[data-testid=notice-panel-item]")).to_contain_text(deadline.isoformat())
    shot(page, "notice-unit-home")
    panel.locator("a", has_text=TITLE).click()
    expect(page.locator("[data-testid=notice-body]")).to_contain_text("填报说明见附件")
    with page.expect_download() as download:
        page.locator("[data-testid=notice-attachments] a", has_text="填报说明.pdf").click()
    assert download.value.suggested_filename == "填报说明.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4")
    page.click("[data-testid=notice-acknowledge]")
    expect(page.locator("[data-testid=notice-receipt]")).to_contain_text("已签收")
    expect(page.locator("[data-testid=notice-acknowledge]")).to_have_count(0)
    page.goto(page.base_url + "/")
    expect(page.locator("[data-testid=notice-unread-count]")).to_have_count(0)

    logout(page)
    login(page, "center", PASSWORD)
    page.click("#sidebar >> text=通知公告")
    page.locator("[data-testid=notice-row] a", has_text=TITLE).click()
    page.click("[data-testid=notice-receipts-link]")
    expect(page.locator("[data-testid=receipt-summary]")).to_contain_text("已签收 1/2 个单位")
    confirmed = page.locator("[data-testid=receipt-row]", has_text="戊省科学技术协会")
    expect(confirmed).to_contain_text("已签收")
    expect(confirmed).to_contain_text("张三")
    shot(page, "notice-receipts")
    page.click("[data-testid=receipts-unread]")
    expect(page.locator("[data-testid=receipt-row]")).to_have_count(1)
    expect(page.locator("[data-testid=receipt-row]")).to_contain_text("己学会")
