"""导入 of the registry (service level): rows become the unit's draft organizations through the workflow services;
matched by 组织编号 or by name; a likely duplicate of a registry entry is a problem naming it, never created; all or
nothing; an exported file imports back with no change."""

import io
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from iodp.core.models import ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.exchange.models import ImportBatch, ImportStatus
from iodp.exchange.reading import read_upload
from iodp.exchange.xlsx import write_workbook
from iodp.organizations.exports import organization_sheets
from iodp.organizations.imports import import_organizations
from iodp.organizations.models import Organization

from ..organizations.factories import approved_organization, draft_organization
from .test_membership_import import upload, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["组织编号", "中文名称", "英文名称", "英文缩写", "所属学科", "性质", "类别", "总部所在国家或地区", "总部所在城市",
          "成立年份", "官方网址", "联系电话", "加入形式"]


@dataclass
class Sheet:
    name: str
    rows: list


def row(name_zh="国际数学联盟", *, key=None, **overrides):
    values = dict(zip(HEADER, [key, name_zh, "International Mathematical Union", "IMU", "数学", "国际间", "核心类", "德国",
                               "Berlin", 1920, "https://www.mathunion.org", "+49 30 20372430", "国家会员"], strict=True))
    values.update(overrides)
    return [values[h] for h in HEADER]


def workbook(*rows, header=HEADER):
    return [Sheet("国际组织", [header, *rows])]


def exported(user) -> list:
    """The registry export as `user` downloads it, read back as an upload is read."""
    request = RequestFactory().get("/")
    request.user = user
    buffer = io.BytesIO()
    write_workbook(buffer, organization_sheets(request))
    return read_upload(io.BytesIO(buffer.getvalue()), filename="国际组织.xlsx")


def test_new_organizations_are_created_as_the_units_drafts(unit_user):
    result = import_organizations(workbook(row()), user=unit_user, unit=unit_user.unit)
    assert result.ok, result.problems
    assert (result.new, result.updated, result.unchanged, result.invalid) == (1, 0, 0, 0)
    imu = Organization.objects.get(acronym="IMU")
    assert imu.status == RecordStatus.DRAFT and imu.unit == unit_user.unit and imu.created_by == unit_user
    assert imu.nature == "global" and imu.hq_country.code == "DE" and imu.membership_forms == ["national"]
    assert imu.phone == "+493020372430" and list(imu.disciplines.values_list("code", flat=True)) == ["110"]
    assert result.records == [imu.pk]
    assert ChangeLog.objects.filter(object_id=imu.history_id, action="create").exists()  # history, as the form


def test_with_submit_they_go_to_the_review_queue(unit_user):
    result = import_organizations(workbook(row()), user=unit_user, unit=unit_user.unit, submit=True)
    assert result.ok, result.problems
    assert list(Organization.objects.awaiting_review().values_list("acronym", flat=True)) == ["IMU"]


def test_submit_asks_for_what_the_form_asks_for(unit_user):
    result = import_organizations(workbook(row(类别=None)), user=unit_user, unit=unit_user.unit, submit=True)
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("国际组织", 2, "类别")]
    assert not Organization.objects.exists()


def test_a_draft_lacking_what_submit_needs_is_saved_with_a_warning(unit_user):
    result = import_organizations(workbook(row(类别=None)), user=unit_user, unit=unit_user.unit)
    assert result.ok and result.new == 1
    assert [(w.row, w.column) for w in result.warnings] == [(2, "类别")]


def test_a_likely_duplicate_is_a_problem_naming_the_registry_entry_and_nothing_is_created(unit_user, platform_admin):
    iupac = approved_organization(unit_user, platform_admin)
    similar = row("国际纯粹和应用化学联合会", 英文名称="Intl. Union of Pure & Applied Chemistry", 英文缩写="IUPAC-X",
                  总部所在国家或地区="美国")
    result = import_organizations(workbook(similar), user=unit_user, unit=unit_user.unit)
    assert not result.ok and result.invalid == 1
    [problem] = result.problems
    assert (problem.sheet, problem.row) == ("国际组织", 2)
    assert "国际纯粹与应用化学联合会（IUPAC）" in problem.message and f"编号 {iupac.pk}" in problem.message
    assert Organization.objects.count() == 1


def test_an_exact_duplicate_by_acronym_and_headquarters_is_a_problem_too(unit_user, platform_admin):
    approved_organization(unit_user, platform_admin)
    result = import_organizations(workbook(row("某联合会", 英文名称="Some Union", 英文缩写="IUPAC", 总部所在国家或地区="美国")),
                                  user=unit_user, unit=unit_user.unit)
    assert not result.ok and "英文缩写和总部所在国家或地区相同" in result.problems[0].message
    assert Organization.objects.count() == 1


def test_two_rows_naming_the_same_organization_are_reported(unit_user):
    result = import_organizations(workbook(row(), row("国际数学联合会", 英文名称="International  Mathematical Union")),
                                  user=unit_user, unit=unit_user.unit)
    assert not result.ok
    assert [(p.row, p.message) for p in result.problems] == [(3, "与第 2 行是同一国际组织，请只保留一行。")]
    assert not Organization.objects.exists()


def test_bad_values_are_located_at_their_sheet_row_and_column(unit_user):
    result = import_organizations(workbook(row(), row("国际天文学联合会", 英文名称="International Astronomical Union",
                                                      英文缩写="IAU", 性质="全球", 总部所在国家或地区="火星", 成立年份="明年",
                                                      官方网址="不是网址", 所属学科="炼金术")),
                                  user=unit_user, unit=unit_user.unit)
    located = {(p.sheet, p.row, p.column) for p in result.problems}
    assert located == {("国际组织", 3, column) for column in ("性质", "总部所在国家或地区", "成立年份", "官方网址", "所属学科")}
    assert all(p.message for p in result.problems)
    assert "国际间、区域间" in next(p.message for p in result.problems if p.column == "性质")
    assert not Organization.objects.exists()  # the good row 2 was not kept either (all or nothing)


def test_a_dry_run_reports_and_writes_nothing(unit_user):
    logged = ChangeLog.objects.count()
    result = import_organizations(workbook(row()), user=unit_user, unit=unit_user.unit, dry_run=True)
    assert result.ok and result.new == 1
    assert not Organization.objects.exists() and ChangeLog.objects.count() == logged


def test_importing_the_same_file_twice_changes_nothing_the_second_time(unit_user):
    sheets = workbook(row())
    assert import_organizations(sheets, user=unit_user, unit=unit_user.unit).new == 1
    logged = ChangeLog.objects.count()
    again = import_organizations(sheets, user=unit_user, unit=unit_user.unit)  # matched by name
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1), again.problems
    assert ChangeLog.objects.count() == logged and Organization.objects.count() == 1


def test_a_units_draft_is_updated_by_its_number(unit_user):
    draft = draft_organization(unit_user)
    result = import_organizations(workbook(row(draft.name_zh, key=draft.pk, 英文名称=draft.name_en, 英文缩写="IUPAC",
                                               所属学科="化学", 总部所在国家或地区="美国", 总部所在城市="Durham",
                                               成立年份=1919)),
                                  user=unit_user, unit=unit_user.unit)
    assert result.ok and result.updated == 1, result.problems
    draft.refresh_from_db()
    assert draft.hq_city == "Durham" and draft.status == RecordStatus.DRAFT and draft.version == 2


def test_an_unknown_number_is_a_problem(unit_user, other_unit_user):
    theirs = draft_organization(other_unit_user)
    result = import_organizations(workbook(row(key=theirs.pk), row("国际天文学联合会", key="abc")), user=unit_user,
                                  unit=unit_user.unit)
    assert [(p.row, p.column) for p in result.problems] == [(2, "组织编号"), (3, "组织编号")]
    assert "不在名录中" in result.problems[0].message


def test_a_unit_cannot_change_an_approved_organization_by_import(unit_user, platform_admin):
    iupac = approved_organization(unit_user, platform_admin)
    sheets = exported(unit_user)
    sheets[0].rows[1][sheets[0].rows[0].index("总部所在城市")] = "Durham"
    result = import_organizations(sheets, user=unit_user, unit=unit_user.unit)
    assert not result.ok and "修改建议" in result.problems[0].message
    iupac.refresh_from_db()
    assert iupac.hq_city == "Research Triangle Park" and not iupac.revisions.exists()


def test_the_platform_admins_change_to_an_approved_one_goes_onto_a_revision(unit_user, platform_admin):
    iupac = approved_organization(unit_user, platform_admin)
    sheets = exported(platform_admin)
    sheets[0].rows[1][sheets[0].rows[0].index("总部所在城市")] = "Durham"
    result = import_organizations(sheets, user=platform_admin, unit=unit_user.unit)
    assert result.ok and result.updated == 1, result.problems
    iupac.refresh_from_db()
    assert iupac.hq_city == "Research Triangle Park" and iupac.revisions.get().hq_city == "Durham"


def test_an_exported_registry_imports_back_with_no_change(unit_user, platform_admin):
    approved_organization(unit_user, platform_admin, phone="+861068571234", membership_forms=["national", "individual"],
                          website="https://iupac.org", dues_amount=1200, dues_currency="USD")
    draft_organization(unit_user, name_zh="国际数学联盟", name_en="International Mathematical Union", acronym="IMU",
                       disciplines=("110",))
    logged = ChangeLog.objects.count()
    result = import_organizations(exported(unit_user), user=unit_user, unit=unit_user.unit)
    assert result.ok, result.problems
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    assert ChangeLog.objects.count() == logged and Organization.objects.count() == 2


def test_another_unit_cannot_import_into_a_unit(unit_user, other_unit_user):
    with pytest.raises(PermissionDenied):
        import_organizations(workbook(row()), user=other_unit_user, unit=unit_user.unit)
    assert not Organization.objects.exists()


# --- the pages -------------------------------------------------------------------------------------------------

def test_upload_preview_then_confirm(unit_user, unit_client, other_client, client):
    header = ["组织编号", "中文名称", "英文名称", "英文缩写", "所属学科", "性质", "类别"]
    content = xlsx([[None, "国际天文学联合会", "International Astronomical Union", "IAU", "160", "国际间", "核心类"]],
                   title="国际组织", header=header)
    upload(unit_client, "organizations", content, name="国际组织.xlsx", submit="on")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATED and batch.submit, batch.result
    assert not Organization.objects.exists()
    assert other_client.get(batch.get_absolute_url()).status_code == 404  # another unit's user
    assert other_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"}
                             ).status_code == 404
    assert client.get(batch.get_absolute_url()).url.startswith(reverse("accounts:login"))  # anonymous
    assert not Organization.objects.exists()
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, batch.result
    assert Organization.objects.get().status == RecordStatus.SUBMITTED


def test_a_likely_duplicate_shows_on_the_preview_and_cannot_be_confirmed(unit_user, unit_client, platform_admin):
    approved_organization(unit_user, platform_admin)
    header = ["组织编号", "中文名称", "英文名称", "英文缩写"]
    content = xlsx([[None, "国际纯粹和应用化学联合会", "Intl. Union of Pure & Applied Chemistry", "IUPAC-X"]],
                   title="国际组织", header=header)
    upload(unit_client, "organizations", content, name="国际组织.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert "国际纯粹与应用化学联合会（IUPAC）" in page and 'data-testid="confirm"' not in page
    assert Organization.objects.count() == 1
