"""导入 of a unit's memberships (service level, then the pages): each row names a registry entry by its Chinese name
or acronym and becomes the unit's membership or plan through the workflow services; one per unit and
organization; all or nothing; an exported list imports back with no change."""

import datetime
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from iodp.core import clock
from iodp.core.models import ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.exchange.models import ImportBatch, ImportStatus
from iodp.exchange.reading import read_upload
from iodp.exchange.xlsx import write_workbook
from iodp.organizations.exports import membership_sheets
from iodp.organizations.imports import import_memberships
from iodp.organizations.models import Membership, MembershipRelation

from ..organizations.factories import approved_membership, approved_organization, saved_membership

pytestmark = pytest.mark.django_db

HEADER = ["中文名称", "英文缩写", "会员状态", "加入形式", "加入年份", "本会员缴纳会费", "币种", "计划加入时间", "计划加入理由", "备注"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    name: str
    rows: list


def next_year() -> datetime.date:
    return clock.today().replace(year=clock.today().year + 1, month=1, day=1)


def member(name="国际纯粹与应用化学联合会", **overrides):
    values = dict(zip(HEADER, [name, None, "已加入", "国家会员", 1979, 1200, "USD", None, None, None], strict=True))
    values.update(overrides)
    return [values[h] for h in HEADER]


def plan(name="国际数学联盟", **overrides):
    values = dict(zip(HEADER, [name, None, "计划加入", None, None, None, None, next_year(), "参与国际标准制定", None],
                      strict=True))
    values.update(overrides)
    return [values[h] for h in HEADER]


def workbook(*rows):
    return [Sheet("会员关系", [HEADER, *rows])]


@pytest.fixture
def registry(unit_user, platform_admin):
    iupac = approved_organization(unit_user, platform_admin)
    imu = approved_organization(unit_user, platform_admin, name_zh="国际数学联盟", name_en="International Mathematical Union",
                                acronym="IMU", disciplines=("110",))
    return iupac, imu


def exported(user) -> list:
    request = RequestFactory().get("/")
    request.user = user
    buffer = io.BytesIO()
    write_workbook(buffer, membership_sheets(request))
    return read_upload(io.BytesIO(buffer.getvalue()), filename="会员关系.xlsx")


# --- service level ---------------------------------------------------------------------------------------------

def test_a_membership_and_a_plan_are_created_as_the_units_drafts(unit_user, registry):
    iupac, imu = registry
    result = import_memberships(workbook(member(), plan(name=None, 英文缩写="IMU")), user=unit_user, unit=unit_user.unit)
    assert result.ok, result.problems
    assert (result.new, result.updated, result.unchanged) == (2, 0, 0)
    joined = Membership.objects.get(organization=iupac)
    assert joined.status == RecordStatus.DRAFT and joined.unit == unit_user.unit and joined.since_year == 1979
    assert joined.form == "national" and joined.dues_amount == 1200 and joined.dues_currency == "USD"
    planned = Membership.objects.get(organization=imu)  # found by its acronym
    assert planned.relation == MembershipRelation.PLANNED and planned.target_date == next_year()
    assert ChangeLog.objects.filter(object_id=joined.history_id, action="create").exists()


def test_with_submit_they_go_to_the_review_queue(unit_user, registry):
    result = import_memberships(workbook(member(), plan()), user=unit_user, unit=unit_user.unit, submit=True)
    assert result.ok, result.problems
    assert Membership.objects.awaiting_review().count() == 2


def test_a_plan_without_reason_cannot_be_submitted_and_nothing_is_written(unit_user, registry):
    result = import_memberships(workbook(member(), plan(计划加入理由=None, 计划加入时间=None)), user=unit_user,
                                unit=unit_user.unit, submit=True)
    assert not result.ok and result.invalid == 1
    located = {(p.sheet, p.row, p.column): p.message for p in result.problems}
    assert located[("会员关系", 3, "计划加入理由")] == "请填写计划加入的理由。"
    assert located[("会员关系", 3, "计划加入时间")] == "计划加入请填写目标时间。"
    assert not Membership.objects.exists()


def test_a_plan_without_reason_is_saved_as_a_draft_with_a_warning_as_the_form_saves_it(unit_user, registry):
    result = import_memberships(workbook(plan(计划加入理由=None)), user=unit_user, unit=unit_user.unit)
    assert result.ok and result.new == 1
    assert [(w.row, w.column) for w in result.warnings] == [(2, "计划加入理由")]


def test_a_plan_dated_in_the_past_is_refused_as_the_form_refuses_it(unit_user, registry):
    result = import_memberships(workbook(plan(计划加入时间=datetime.date(2020, 1, 1))), user=unit_user,
                                unit=unit_user.unit)
    assert [(p.column, p.message) for p in result.problems] == [("计划加入时间", "计划加入时间不能早于今天。")]


def test_an_organization_not_in_the_registry_is_a_problem_with_a_hint(unit_user, registry):
    result = import_memberships(workbook(member("国际纯粹与应用化学联合")), user=unit_user, unit=unit_user.unit)
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("会员关系", 2, "中文名称")
    assert "是否为“国际纯粹与应用化学联合会（IUPAC）”" in problem.message
    assert not Membership.objects.exists()


def test_another_units_draft_organization_is_not_found(unit_user, other_unit_user, registry):
    from ..organizations.factories import draft_organization

    draft_organization(other_unit_user, name_zh="乙的草稿组织", name_en="Draft of B", acronym="DRB")
    result = import_memberships(workbook(member("乙的草稿组织")), user=unit_user, unit=unit_user.unit)
    assert not result.ok and result.problems[0].column == "中文名称"


def test_bad_values_are_located_at_their_sheet_row_and_column(unit_user, registry):
    result = import_memberships(workbook(member(会员状态="已退出", 加入年份="很久以前", 币种="贝壳")), user=unit_user,
                                unit=unit_user.unit)
    assert {(p.sheet, p.row, p.column) for p in result.problems} == {
        ("会员关系", 2, "会员状态"), ("会员关系", 2, "加入年份"), ("会员关系", 2, "币种")}
    assert all(p.message for p in result.problems)


def test_two_rows_for_the_same_organization_are_reported(unit_user, registry):
    result = import_memberships(workbook(member(), member(name=None, 英文缩写="IUPAC")), user=unit_user,
                                unit=unit_user.unit)
    assert [(p.row, p.column) for p in result.problems] == [(3, "中文名称")]
    assert not Membership.objects.exists()


def test_a_dry_run_reports_and_writes_nothing(unit_user, registry):
    logged = ChangeLog.objects.count()
    result = import_memberships(workbook(member()), user=unit_user, unit=unit_user.unit, dry_run=True)
    assert result.ok and result.new == 1
    assert not Membership.objects.exists() and ChangeLog.objects.count() == logged


def test_one_bad_row_leaves_the_database_untouched(unit_user, registry):
    result = import_memberships(workbook(member(), plan(会员状态="已退出")), user=unit_user, unit=unit_user.unit)
    assert not result.ok and result.invalid == 1
    assert not Membership.objects.exists()


def test_the_units_existing_membership_is_updated_then_unchanged(unit_user, registry):
    iupac, _imu = registry
    saved = saved_membership(unit_user, iupac, since_year=1990)
    result = import_memberships(workbook(member()), user=unit_user, unit=unit_user.unit)
    assert result.ok and result.updated == 1, result.problems
    saved.refresh_from_db()
    assert saved.since_year == 1979 and Membership.objects.count() == 1
    logged = ChangeLog.objects.count()
    again = import_memberships(workbook(member()), user=unit_user, unit=unit_user.unit)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert ChangeLog.objects.count() == logged


def test_an_approved_membership_is_changed_through_a_revision(unit_user, platform_admin, registry):
    iupac, _imu = registry
    official = approved_membership(unit_user, platform_admin, iupac, since_year=1990)
    result = import_memberships(workbook(member()), user=unit_user, unit=unit_user.unit)
    assert result.ok and result.updated == 1, result.problems
    official.refresh_from_db()
    assert official.since_year == 1990 and official.revisions.get().since_year == 1979


def test_an_exported_list_imports_back_with_no_change(unit_user, platform_admin, registry):
    iupac, imu = registry
    approved_membership(unit_user, platform_admin, iupac, since_year=1979, form="national", dues_amount=1200,
                        dues_currency="USD", notes="每年缴纳")
    saved_membership(unit_user, imu, relation=MembershipRelation.PLANNED, target_date=next_year(), reason="参与标准制定")
    logged = ChangeLog.objects.count()
    result = import_memberships(exported(unit_user), user=unit_user, unit=unit_user.unit)
    assert result.ok, result.problems
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    assert ChangeLog.objects.count() == logged and Membership.objects.count() == 2


def test_another_unit_cannot_import_into_a_unit(unit_user, other_unit_user, registry):
    with pytest.raises(PermissionDenied):
        import_memberships(workbook(member()), user=other_unit_user, unit=unit_user.unit)
    assert not Membership.objects.exists()


# --- the pages -------------------------------------------------------------------------------------------------

def xlsx(rows, *, title="会员关系", header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for values in [header, *rows]:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, kind: str, content: bytes, name="会员关系.xlsx", **extra):
    return client.post(reverse("exchange:import_upload", args=[kind]),
                       {"file": SimpleUploadedFile(name, content, content_type=XLSX), **extra})


def test_memberships_upload_preview_then_confirm(unit_user, unit_client, registry):
    response = upload(unit_client, "memberships", xlsx([member(), plan()]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert batch.kind == "memberships" and batch.status == ImportStatus.VALIDATED, batch.result
    assert not Membership.objects.exists()  # a preview writes nothing
    page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="count-new">2<' in page and "导入会员关系" in page
    response = unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"},
                                follow=True)
    assert "导入完成：新增 2 条，更新 0 条，未变化 0 条。" in response.content.decode()
    assert Membership.objects.filter(unit=unit_user.unit, status=RecordStatus.DRAFT).count() == 2


def test_the_wrong_template_is_refused_on_upload(unit_client, registry):
    response = upload(unit_client, "memberships", xlsx([member()], title="基本信息"))
    assert "缺少工作表“会员关系”" in response.content.decode() and not ImportBatch.objects.exists()


@pytest.mark.parametrize(("kind", "sheet", "first"), [("organizations", "国际组织", "组织编号"),
                                                      ("memberships", "会员关系", "中文名称")])
def test_the_templates_have_instructions_and_drop_down_lists(unit_client, kind, sheet, first):
    response = unit_client.get(reverse("exchange:template", args=[kind]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:2] == ["填表说明", sheet]
    assert "填表说明" in book["填表说明"]["A1"].value
    headers = [c.value for c in book[sheet][1]]
    assert headers[0] == first and "审核状态" not in headers and "已加入单位数" not in headers
    assert book[sheet].data_validations.dataValidation  # the coded columns offer their labels


def test_the_lists_offer_import_and_the_template(unit_client):
    for list_name, kind in (("organizations:list", "organizations"), ("organizations:membership_list", "memberships")):
        page = unit_client.get(reverse(list_name)).content.decode()
        assert reverse("exchange:import_upload", args=[kind]) in page, list_name
        assert reverse("exchange:template", args=[kind]) in page, list_name
        form = unit_client.get(reverse("exchange:import_upload", args=[kind])).content.decode()
        assert reverse("exchange:template", args=[kind]) in form and 'data-testid="import-form"' in form, kind


def test_another_unit_gets_404_and_anonymous_users_go_to_login(unit_user, unit_client, other_client, client, registry):
    upload(unit_client, "memberships", xlsx([member()]))
    batch = ImportBatch.objects.get()
    assert other_client.get(batch.get_absolute_url()).status_code == 404
    assert other_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"}
                             ).status_code == 404
    assert other_client.get(reverse("exchange:import_progress", args=[batch.pk])).status_code == 404
    assert not Membership.objects.exists()
    for url in (batch.get_absolute_url(), reverse("exchange:import_upload", args=["memberships"]),
                reverse("exchange:template", args=["organizations"])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url


def test_an_unknown_kind_is_404(unit_client):
    assert unit_client.get(reverse("exchange:import_upload", args=["nothing"])).status_code == 404
    assert unit_client.get(reverse("exchange:template", args=["nothing"])).status_code == 404
