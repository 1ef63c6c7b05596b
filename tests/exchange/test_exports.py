"""导出: every list downloads what its filters show as .xlsx, with Chinese headers, dates as dates, labels for
codes, a frozen header row, no cell a spreadsheet could run as a formula, and ID numbers masked unless the
platform admin asks (logged)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from iodp.core import workflow_services as wf
from iodp.exchange.cells import neutralize, unneutralize
from iodp.exchange.models import ExportLog
from iodp.exchange.registry import registered_exports
from iodp.institutions.models import Institution

from ..conftest import logged_in
from ..experts.conftest import ID_1980, make_expert
from ..organizations.factories import approved_membership, approved_organization, draft_organization

pytestmark = pytest.mark.django_db


def download(client, list_name, **params):
    response = client.get(reverse("exchange:export", args=[list_name]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def table(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


@pytest.mark.parametrize("text", ["=1+1", "+86 10", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_value_a_spreadsheet_would_run_is_quoted_and_the_quote_comes_off_again(text):
    assert neutralize(text) == "'" + text
    assert unneutralize(neutralize(text)) == text


@pytest.mark.parametrize("text", ["国际数学联盟", "IUPAC", "'quoted", "a=b", ""])
def test_other_values_are_left_as_they_are(text):
    assert neutralize(text) == text and unneutralize(text) == text


def test_the_registry_exports_with_its_filters_headers_labels_and_dates(unit_user, platform_admin, unit_client):
    iupac = approved_organization(unit_user, platform_admin, founded_date=datetime.date(1919, 7, 28))
    approved_organization(unit_user, platform_admin, name_zh="国际数学联盟", name_en="International Mathematical Union",
                          acronym="IMU")
    workbook = download(unit_client, "organizations:list", q="IUPAC")
    sheet = workbook["国际组织"]
    assert sheet.freeze_panes == "A2"
    rows = table(sheet)
    assert [row["中文名称"] for row in rows] == ["国际纯粹与应用化学联合会"]  # the list's filter applies
    row = rows[0]
    assert row["英文缩写"] == "IUPAC" and row["性质"] == "国际间" and row["类别"] == "核心类"
    assert row["总部所在国家或地区"] == "美国" and row["成立年份"] == 1919
    assert row["成立日期"] == datetime.datetime(1919, 7, 28)  # a date cell, not text
    assert row["审核状态"] == "审核通过" and row["所属学科"] == "化学"
    assert iupac.pk and ExportLog.objects.get().rows == 1


def test_a_cell_that_would_run_as_a_formula_is_exported_as_text(unit_user, unit_client):
    draft_organization(unit_user, name_zh="=HYPERLINK(\"http://evil.example\",\"点我\")", acronym="EVIL",
                       hq_city="@SUM(1+1)")
    row = table(download(unit_client, "organizations:list")["国际组织"])[0]
    assert row["中文名称"] == "'=HYPERLINK(\"http://evil.example\",\"点我\")"
    assert row["总部所在城市"] == "'@SUM(1+1)"


def test_a_coded_column_offers_its_labels_as_a_drop_down_list(unit_user, unit_client):
    draft_organization(unit_user)
    sheet = download(unit_client, "organizations:list")["国际组织"]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("国际间" in formula and "区域间" in formula for formula in lists.values()), lists


def test_another_units_drafts_are_not_in_the_registry_export(unit_user, other_unit_user, other_client):
    draft_organization(unit_user, name_zh="甲的草稿组织", acronym="DRAFT")
    rows = table(download(other_client, "organizations:list")["国际组织"])
    assert rows == []


def test_experts_export_the_template_sheets_with_id_numbers_masked(unit_user, unit_client, organization):
    expert = make_expert(unit_user, organization=organization)
    workbook = download(unit_client, "experts:list")
    assert workbook.sheetnames == ["基本信息", "语言能力", "教育经历", "工作经历", "国际组织任职"]
    basic = table(workbook["基本信息"])[0]
    assert basic["专家编号"] == expert.pk and basic["姓名"] == "周建华" and basic["性别"] == "男"
    assert basic["证件号码"] == expert.masked_id_number != ID_1980
    assert basic["出生日期"] == expert.masked_birth_date
    assert basic["电话"] == "138 0013 8000"  # the display format of every page
    assert table(workbook["语言能力"])[0] == {"序号": expert.pk, "语种": "英语", "熟练程度": "工作语言",
                                             "证书": None}
    post = table(workbook["国际组织任职"])[0]
    assert post["序号"] == expert.pk and post["国际组织"] == "国际纯粹与应用化学联合会" and post["职位"] == "执委"
    assert post["任期开始"] == datetime.datetime(2022, 1, 1)
    log = ExportLog.objects.get()
    assert (log.list_name, log.rows, log.revealed_ids, log.unit) == ("experts:list", 1, False, unit_user.unit)


def test_experts_export_their_lists_joined_and_the_queries_do_not_grow_with_the_experts(unit_user, organization):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iodp.exchange.xlsx import write_workbook
    from iodp.experts.exports import expert_workbook
    from iodp.experts.models import Education, Expert
    from iodp.reference.models import Country, Discipline

    chemistry, physics = Discipline.objects.get(code="150"), Discipline.objects.get(code="140")

    def export() -> tuple[list[dict], int]:
        target = io.BytesIO()
        with CaptureQueriesContext(connection) as queries:
            write_workbook(target, expert_workbook(Expert.objects.filter(unit=unit_user.unit).order_by("pk")))
        book = openpyxl.load_workbook(target)
        education, positions = table(book["教育经历"]), table(book["国际组织任职"])
        assert {row["国家或地区"] for row in education} == {"法国"} and len(education) == len(positions)
        assert {row["国际组织"] for row in positions} == {organization.name_zh}
        return table(book["基本信息"]), len(queries.captured_queries)

    def expert(i: int) -> Expert:
        made = make_expert(unit_user, name_zh=f"专家{i}", id_number="", birth_date=None, organization=organization)
        made.disciplines.set([chemistry, physics])
        made.target_disciplines.set([physics])
        made.target_organizations.set([organization])
        Education.objects.create(expert=made, institution=f"第{i}大学", country=Country.objects.get(code="FR"),
                                 degree="doctor")
        return made

    expert(0)
    rows, few = export()
    assert rows[0]["所属学科"] == f"{physics}；{chemistry}" and rows[0]["目标学科领域"] == str(physics)
    assert rows[0]["目标国际组织"] == str(organization)
    assert rows[0]["国籍"] == "中国" and rows[0]["填报单位"] == unit_user.unit.name
    for i in range(1, 6):
        expert(i)
    rows, many = export()
    assert len(rows) == 6 and {row["所属学科"] for row in rows} == {f"{physics}；{chemistry}"}
    assert {row["国籍"] for row in rows} == {"中国"} and {row["填报单位"] for row in rows} == {unit_user.unit.name}
    assert many == few  # the countries, units, organizations and lists: read per chunk of rows, not per row


def test_only_the_platform_admin_can_ask_for_full_id_numbers_and_it_is_logged(unit_user, unit_client, admin_client_):
    make_expert(unit_user)
    unit_row = table(download(unit_client, "experts:list", reveal_ids="1")["基本信息"])[0]
    assert unit_row["证件号码"] != ID_1980
    admin_row = table(download(admin_client_, "experts:list", reveal_ids="1")["基本信息"])[0]
    assert admin_row["证件号码"] == ID_1980
    assert list(ExportLog.objects.order_by("id").values_list("revealed_ids", flat=True)) == [False, True]
    assert "reveal_ids" not in ExportLog.objects.last().params


def test_experts_of_other_units_are_not_exported(unit_user, other_unit_user, other_client, organization):
    make_expert(unit_user, organization=organization)
    workbook = download(other_client, "experts:list")
    assert all(table(workbook[name]) == [] for name in workbook.sheetnames)


def test_memberships_export_the_units_own(unit_user, other_unit_user, platform_admin, unit_client, other_client):
    organization = approved_organization(unit_user, platform_admin)
    approved_membership(unit_user, platform_admin, organization, since_year=1979)
    row = table(download(unit_client, "organizations:membership_list")["会员关系"])[0]
    assert (row["中文名称"], row["会员状态"], row["加入年份"], row["审核状态"]) == (
        "国际纯粹与应用化学联合会", "已加入", 1979, "审核通过")
    assert table(download(other_client, "organizations:membership_list")["会员关系"]) == []


def test_institutions_export_all_profiles_for_the_admin_and_its_own_for_a_unit(unit_user, other_unit_user,
                                                                             unit_client, admin_client_):
    for user in (unit_user, other_unit_user):
        wf.record_save(record=Institution(unit=user.unit, name_zh=f"{user.unit.name}机构"), by=user)
    assert {row["中文名称"] for row in table(download(admin_client_, "institutions:home")["机构信息"])} == {
        "甲省科学技术协会机构", "乙学会机构"}
    assert [row["中文名称"] for row in table(download(unit_client, "institutions:home")["机构信息"])] == [
        "甲省科学技术协会机构"]


def test_every_list_page_offers_its_export_with_the_current_filters(unit_user, admin_client_):
    pages = {"organizations:list": "organizations:list", "organizations:membership_list":
             "organizations:membership_list", "experts:list": "experts:list", "institutions:home": "institutions:home"}
    assert set(pages) == set(registered_exports())
    for page, list_name in pages.items():
        html = admin_client_.get(reverse(page), {"q": "数学"}).content.decode()
        assert f'href="{reverse("exchange:export", args=[list_name])}?q=%E6%95%B0%E5%AD%A6"' in html, page


def test_anonymous_users_and_unknown_lists_get_nothing(unit_user, client):
    response = client.get(reverse("exchange:export", args=["experts:list"]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert logged_in(unit_user).get(reverse("exchange:export", args=["core:drafts"])).status_code == 404
    assert logged_in(unit_user).post(reverse("exchange:export", args=["experts:list"])).status_code == 405
