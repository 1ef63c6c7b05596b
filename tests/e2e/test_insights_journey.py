"""统计分析 in a browser: the platform admin opens the dashboard, counts submitted records too (包含待审核数据),
picks a unit, sets the day (统计日期), generates the text summary and downloads the Excel export; a unit admin
sees only its own figures. Screenshots: insights-dashboard, insights-summary, insights-unit."""

import io
import re

import openpyxl
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..insights.conftest import world  # noqa: F401  (the hand-built fixture whose figures are known)
from .conftest import login, logout, shot


def headline(page, label: str):
    return page.locator("[data-testid=insights-headline] .card-body", has_text=label).locator(".fs-5").first


def test_the_platform_admin_reads_the_dashboard_and_a_unit_only_its_own(page, world):  # noqa: F811
    login(page, "center", PASSWORD)
    page.get_by_role("link", name="统计分析", exact=True).first.click()
    expect(page.locator("[data-testid=insights-scope]")).to_contain_text("全平台")
    expect(headline(page, "已加入国际组织数")).to_have_text("3")
    expect(page.locator("[data-testid=summary-text]")).to_contain_text(
        "在已加入的 3 个国际组织中任执委以上重要职务的共有 2 人次")
    shot(page, "insights-dashboard")

    page.check("#id_include_submitted")
    page.click("[data-testid=insights-filters] button:has-text('统计')")
    expect(page.locator("[data-testid=insights-scope]")).to_contain_text("审核通过及待审核数据")
    expect(headline(page, "执委以上任职人次")).to_have_text("3")

    page.uncheck("#id_include_submitted")
    page.select_option("select[name=unit]", label=world.a.unit.name)
    page.click("[data-testid=insights-filters] button:has-text('统计')")
    expect(page.locator("[data-testid=insights-scope]")).to_contain_text(world.a.unit.name)
    expect(headline(page, "已加入国际组织数")).to_have_text("2")

    page.select_option("select[name=unit]", label="全平台")
    page.fill("input[name=as_of]", "2019-06-01")
    page.click("[data-testid=insights-filters] button:has-text('统计')")
    expect(page.locator("[data-testid=insights-scope]")).to_contain_text("截至 2019-06-01")
    expect(headline(page, "任职总人次")).to_have_text("0")

    page.fill("input[name=as_of]", "")
    page.click("[data-testid=insights-filters] button:has-text('统计')")
    page.click("[data-testid=insights-summary]")
    expect(page.locator("h1")).to_have_text("文字摘要")
    expect(page.locator("[data-testid=summary-text]")).to_have_value(
        re.compile("在已加入的 3 个国际组织中任执委以上重要职务的共有 2 人次"))
    shot(page, "insights-summary")

    page.click("text=返回统计分析")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert len(workbook.sheetnames) >= 15
    assert any("按类别" in name for name in workbook.sheetnames)
    logout(page)

    login(page, world.b.username, PASSWORD)
    page.get_by_role("link", name="统计分析", exact=True).first.click()
    expect(page.locator("[data-testid=insights-scope]")).to_contain_text(world.b.unit.name)
    expect(page.locator("select[name=unit]")).to_have_count(0)
    expect(headline(page, "已任职专家人数")).to_have_text("1")
    expect(headline(page, "后备专家人数")).to_have_text("1")
    expect(page.locator("body")).not_to_contain_text(world.a.unit.name)
    shot(page, "insights-unit")
