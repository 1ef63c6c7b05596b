"""Browser journey of the experts' downloads: tick all experts on the list (全选) and download the pre-filled
template, twice (the button stays usable); then 导出登记表 on an expert's page."""

import io
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from iodp.accounts.models import Role, User

from ..conftest import PASSWORD, make_unit_user
from ..experts.conftest import make_expert
from .conftest import login


def test_select_all_download_the_template_then_the_experts_form(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    user = make_unit_user("form_unit", "中国登记表测试学会", approve_by=admin, unit_type="national_society")
    expert = make_expert(user)

    login(page, "form_unit", PASSWORD)
    page.goto(page.base_url + "/experts/")
    page.check("[data-testid=select-all]")
    expect(page.locator("[data-testid=select-expert]")).to_be_checked()
    for _time in range(2):
        with page.expect_download() as download:
            page.click("[data-testid=export-selected]")
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        names = [row[3] for row in book["基本信息"].iter_rows(min_row=2, values_only=True) if row[0]]
        assert names == ["周建华"]
    expect(page.locator("[data-testid=export-selected]")).to_be_enabled()

    page.goto(page.base_url + expert.get_absolute_url())
    with page.expect_download() as download:
        page.click("[data-testid=registration-form]")
    assert download.value.suggested_filename == "专家信息登记表-周建华.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))["专家信息登记表"]
    assert sheet["A4"].value == "姓名" and sheet["B4"].value == "周建华"
