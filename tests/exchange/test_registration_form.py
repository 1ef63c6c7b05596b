"""专家信息登记表 (one expert per workbook, laid out like a paper form) and 导出所选专家（模板）: the form's layout,
drop-downs and formula-safe cells; pre-filled and masked from the expert's page, blank from the import page; a
filled form imports through the same importer as the template (new as draft, matched and updated, unchanged the
second time, problems at the form's row and label); and both downloads import back with no changes."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from iodp.core.models import ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.exchange.models import ExportLog
from iodp.exchange.reading import read_upload
from iodp.exchange.xlsx import write_form
from iodp.experts.demo import demo_id_number
from iodp.experts.exports import registration_form
from iodp.experts.imports import check_template, import_experts
from iodp.experts.models import Education, Expert

from ..experts.conftest import ID_1980, make_expert
from .test_reading import needs_soffice

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM = "专家信息登记表"
BORN = datetime.date(1975, 3, 8)
ID_1975 = demo_id_number("110108", BORN, "021")


def form_bytes(expert=None, *, reveal_ids=False) -> bytes:
    buffer = io.BytesIO()
    with translation.override("zh-hans"):
        write_form(buffer, registration_form(expert, reveal_ids=reveal_ids))
    return buffer.getvalue()


def read(content: bytes):
    """The workbook as the upload reader gives it to the importer."""
    return read_upload(io.BytesIO(content), filename="登记表.xlsx")


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX and "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def value_of(sheet, label):
    for values in sheet.rows:
        for column in (0, 4):
            if column < len(values) and values[column] == label:
                return values[column + 1] if column + 1 < len(values) else None
    raise KeyError(label)


def set_value(sheet, label, value) -> int:
    """Fill the value cell beside `label`; the row's number (1-based)."""
    for number, values in enumerate(sheet.rows, start=1):
        for column in (0, 4):
            if column < len(values) and values[column] == label:
                values.extend([None] * (column + 2 - len(values)))
                values[column + 1] = value
                return number
    raise KeyError(label)


def fill_table(sheet, title, rows) -> list[int]:
    """Write `rows` into the blank rows of the table `title`; their row numbers."""
    start = next(i for i, values in enumerate(sheet.rows) if values[:1] == [title]) + 2
    for offset, row in enumerate(rows):
        sheet.rows[start + offset] = list(row)
    return [start + offset + 1 for offset in range(len(rows))]


def filled_blank_form(**overrides):
    """A blank form filled in as an expert would (the values of `test_expert_import`'s row)."""
    sheets = read(form_bytes())
    sheet = sheets[0]
    values = {"专家类型": "已任职专家", "姓名": "司马青", "性别": "男", "出生日期": "1975-03-08", "国籍": "中国",
              "证件类型": "居民身份证", "证件号码": ID_1975, "电话": "13912345678", "邮箱": "sima@example.cn",
              "工作单位": "北京大学", "人员类别": "专家学者", "涉外工作年限": "3"}
    values.update(overrides)
    for label, value in values.items():
        set_value(sheet, label, value)
    fill_table(sheet, "语言能力", [["英语", "工作语言", "IELTS 7.5"]])
    fill_table(sheet, "国际组织任职", [["国际纯粹与应用化学联合会", None, "执行委员", "执委", "决策层", "2022-01-01",
                                    "2030-12-31", "现任"]])
    return sheets


# --- the layout ----------------------------------------------------------------------------------------------

def test_the_form_has_a_title_label_value_pairs_two_a_row_tables_and_notes():
    book = openpyxl.load_workbook(io.BytesIO(form_bytes()))
    assert book.sheetnames == [FORM]
    sheet = book[FORM]
    assert sheet["A1"].value == FORM
    assert all(r.min_row > 1 for r in sheet.merged_cells.ranges)  # the reader refuses merged cells in row 1
    assert (sheet["A3"].value, sheet["E3"].value) == ("专家编号", "专家类型")
    assert (sheet["A4"].value, sheet["E4"].value) == ("姓名", "姓名拼音/英文名")
    assert (sheet["A5"].value, sheet["E5"].value) == ("性别", "出生日期")
    assert "B4:D4" in {str(r) for r in sheet.merged_cells.ranges}  # a value cell spans three columns
    column_a = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    for title, header in [("语言能力", "语种"), ("教育经历", "开始时间"), ("工作经历", "开始时间"),
                          ("国际组织任职", "国际组织")]:
        row = column_a.index(title) + 1
        assert sheet.cell(row + 1, 1).value == header
        assert all(sheet.cell(row + 2 + i, 1).value is None for i in range(3))  # blank rows to fill in
    assert "填表说明" in column_a and any(str(v).startswith("1. 本表供一位专家") for v in column_a if v)


def test_coded_cells_offer_their_labels_as_drop_down_lists():
    sheet = openpyxl.load_workbook(io.BytesIO(form_bytes()))[FORM]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert "男" in lists["B5"] and "女" in lists["B5"]  # 性别
    assert "居民身份证" in lists["F6"]  # 证件类型
    assert any("是" in f and "否" in f for f in lists.values())  # yes/no fields
    column_a = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    language_data = column_a.index("语言能力") + 3
    assert any(ref.startswith(f"A{language_data}:A") and "英语" in f for ref, f in lists.items()), lists


def test_a_value_that_would_run_as_a_formula_is_written_as_text(unit_user):
    expert = make_expert(unit_user, employer="=HYPERLINK(\"http://evil.example\",\"点我\")", department="@SUM(1+1)")
    sheet = openpyxl.load_workbook(io.BytesIO(form_bytes(expert)))[FORM]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells}
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in values and "'@SUM(1+1)" in values


def test_the_form_is_pre_filled_and_the_id_number_masked(unit_user, organization):
    expert = make_expert(unit_user, organization=organization)
    Education.objects.create(expert=expert, institution="北京大学", degree="博士", start=datetime.date(2000, 9, 1))
    sheet = read(form_bytes(expert))[0]
    assert value_of(sheet, "专家编号") == expert.pk and value_of(sheet, "姓名") == "周建华"
    assert value_of(sheet, "性别") == "男" and value_of(sheet, "电话") == "138 0013 8000"
    assert value_of(sheet, "证件号码") == expert.masked_id_number != ID_1980
    assert value_of(sheet, "出生日期") == expert.masked_birth_date
    rows = [values for values in sheet.rows if values]
    assert ["英语", "工作语言"] in [r[:2] for r in rows]
    assert any(r[:1] == ["国际纯粹与应用化学联合会"] and "执委" in r for r in rows)
    assert any(r[2:3] == ["北京大学"] and "博士" in r for r in rows)
    revealed = read(form_bytes(expert, reveal_ids=True))[0]
    assert value_of(revealed, "证件号码") == ID_1980


# --- importing it ---------------------------------------------------------------------------------------------

def test_a_filled_blank_form_creates_a_new_expert_as_a_draft(unit_user, organization):
    sheets = filled_blank_form()
    check_template(sheets)  # accepted on upload
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert result.ok, result.problems
    assert (result.new, result.updated, result.unchanged) == (1, 0, 0)
    expert = Expert.objects.get()
    assert (expert.name_zh, expert.status, expert.unit, expert.id_number) == (
        "司马青", RecordStatus.DRAFT, unit_user.unit, ID_1975)
    assert expert.phone == "+8613912345678" and expert.birth_date == BORN
    assert list(expert.languages.values_list("language", "certificate")) == [("en", "IELTS 7.5")]
    assert expert.positions.get().organization == organization
    assert ChangeLog.objects.filter(object_id=expert.history_id, action="create").exists()


def test_a_form_matched_by_id_number_updates_that_expert_and_again_changes_nothing(unit_user, organization):
    existing = make_expert(unit_user, organization=organization, name_zh="司马青", id_number=ID_1975, birth_date=BORN)
    sheets = filled_blank_form(工作单位="清华大学")
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert result.ok and (result.new, result.updated) == (0, 1), result.problems
    existing.refresh_from_db()
    assert existing.employer == "清华大学" and Expert.objects.count() == 1
    logged = ChangeLog.objects.count()
    again = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1), again.problems
    assert ChangeLog.objects.count() == logged


def test_a_form_without_id_number_is_matched_by_name_and_birth_date(unit_user, organization):
    make_expert(unit_user, organization=organization, name_zh="司马青", id_number=ID_1975, birth_date=BORN)
    result = import_experts(filled_blank_form(证件号码=None, 工作单位="复旦大学"), user=unit_user, unit=unit_user.unit)
    assert result.ok and result.updated == 1 and Expert.objects.get().employer == "复旦大学", result.problems


def test_a_bad_value_is_reported_at_the_forms_row_with_its_label(unit_user, organization):
    sheets = filled_blank_form(性别="未知")
    gender_row = set_value(sheets[0], "性别", "未知")
    language_row = fill_table(sheets[0], "语言能力", [["火星语", "工作语言", None]])[0]
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert not result.ok and result.invalid == 1
    located = {(p.sheet, p.row, p.column) for p in result.problems}
    assert (FORM, gender_row, "性别") in located
    assert (FORM, language_row, "语种") in located
    assert not Expert.objects.exists()


def test_submitting_a_form_without_languages_is_reported_at_the_table(unit_user, organization):
    sheets = filled_blank_form()
    language_title = next(i for i, v in enumerate(sheets[0].rows, start=1) if v[:1] == ["语言能力"])
    fill_table(sheets[0], "语言能力", [[None, None, None]])
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit, submit=True)
    assert (FORM, language_title, "提交前请至少填写一种外语能力。") in {(p.sheet, p.row, p.message)
                                                                     for p in result.problems}


def test_an_exported_form_imports_back_with_no_changes(unit_user, organization, platform_admin):
    drafted = make_expert(unit_user, organization=organization)
    Education.objects.create(expert=drafted, institution="北京大学", degree="博士", start=datetime.date(2000, 9, 1))
    approved = make_expert(unit_user, organization=organization, name_zh="欧阳晓梅", gender="female",
                           id_number=demo_id_number("110105", datetime.date(1980, 6, 15), "024"),
                           approve_by=platform_admin)
    logged = ChangeLog.objects.count()
    for expert in (drafted, approved):
        result = import_experts(read(form_bytes(expert)), user=unit_user, unit=unit_user.unit)
        assert result.ok, result.problems
        assert (result.new, result.updated, result.unchanged) == (0, 0, 1)
    assert ChangeLog.objects.count() == logged and Expert.objects.count() == 2  # no revision, no history


@needs_soffice
def test_a_form_resaved_by_libreoffice_imports_as_the_original(unit_user, organization, convert):
    """An expert's form opened and saved again in LibreOffice (what a unit without Excel sends back): still a
    登记表, and it imports back with no changes; a blank one re-saved is accepted and filled the same way."""
    expert = make_expert(unit_user, organization=organization)
    original = form_bytes(expert)
    resaved = convert(original, ".xlsx", "xlsx")
    assert resaved != original
    sheets = read(resaved)
    assert value_of(sheets[0], "姓名") == expert.name_zh
    logged = ChangeLog.objects.count()
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert result.ok and (result.new, result.updated, result.unchanged) == (0, 0, 1), result.problems
    assert ChangeLog.objects.count() == logged
    blank = read(convert(form_bytes(), ".xlsx", "xlsx"))
    check_template(blank)
    assert blank[0].rows[0][:1] == [FORM]


def test_a_changed_form_of_an_approved_expert_goes_to_a_revision(unit_user, organization, platform_admin):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    sheets = read(form_bytes(expert))
    set_value(sheets[0], "电话", "010-68571234")
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert result.ok and result.updated == 1, result.problems
    revision = expert.revisions.get()
    assert revision.phone == "+861068571234" and revision.id_number == ID_1980  # the mask kept the number


# --- the pages ------------------------------------------------------------------------------------------------

def test_the_detail_page_offers_the_form_and_the_owner_downloads_it(unit_user, unit_client, organization):
    expert = make_expert(unit_user, organization=organization)
    url = reverse("experts:registration_form", args=[expert.pk])
    assert f'href="{url}"' in unit_client.get(expert.get_absolute_url()).content.decode()
    sheet = read(downloaded(unit_client.get(url, {"reveal_ids": "1"})))[0]
    assert value_of(sheet, "姓名") == "周建华" and value_of(sheet, "证件号码") == expert.masked_id_number
    log = ExportLog.objects.get()
    assert (log.list_name, log.rows, log.revealed_ids, log.unit) == ("experts:registration_form", 1, False,
                                                                      unit_user.unit)


def test_the_platform_admin_may_ask_for_the_full_id_number_and_it_is_logged(unit_user, admin_client_):
    expert = make_expert(unit_user)
    url = reverse("experts:registration_form", args=[expert.pk])
    sheet = read(downloaded(admin_client_.get(url, {"reveal_ids": "1"})))[0]
    assert value_of(sheet, "证件号码") == ID_1980 and ExportLog.objects.get().revealed_ids


def test_another_unit_and_anonymous_users_get_no_form(unit_user, other_client, client):
    expert = make_expert(unit_user)
    url = reverse("experts:registration_form", args=[expert.pk])
    assert other_client.get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert not ExportLog.objects.exists()


def test_the_blank_form_is_offered_on_the_experts_import_page_only(unit_client, client):
    url = reverse("exchange:template_form", args=["experts"])
    assert f'href="{url}"' in unit_client.get(reverse("exchange:import_upload", args=["experts"])).content.decode()
    sheet = read(downloaded(unit_client.get(url)))[0]
    assert sheet.name == FORM and value_of(sheet, "姓名") is None
    assert unit_client.get(reverse("exchange:template_form", args=["organizations"])).status_code == 404
    assert client.get(url).status_code == 302


def test_the_selected_experts_download_as_the_template_and_import_back_unchanged(unit_user, other_unit_user,
                                                                                 unit_client, organization):
    chosen = make_expert(unit_user, organization=organization)
    make_expert(unit_user, organization=organization, name_zh="欧阳晓梅", gender="female",
                id_number=demo_id_number("110105", datetime.date(1980, 6, 15), "024"))
    theirs = make_expert(other_unit_user, organization=organization, name_zh="乙单位专家", birth_date=datetime.date(1970, 1, 1),
                         id_number=demo_id_number("110105", datetime.date(1970, 1, 1), "035"))
    page = unit_client.get(reverse("experts:list")).content.decode()
    assert f'name="expert" value="{chosen.pk}" form="export-selected"' in page
    assert 'data-select-all="export-selected"' in page and 'id="export-selected"' in page
    content = downloaded(unit_client.get(reverse("experts:export_selected"), {"expert": [chosen.pk, theirs.pk]}))
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["填表说明", "基本信息", "语言能力", "教育经历", "工作经历", "国际组织任职"]
    names = [row[3] for row in book["基本信息"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert names == ["周建华"]  # the other unit's expert ignored, the unticked one left out
    assert "乙单位专家" not in {c for ws in book for row in ws.iter_rows(values_only=True) for c in row}
    assert ExportLog.objects.get().rows == 1
    assert "专家信息（所选专家的导入模板）" in unit_client.get(reverse("exchange:export_list")).content.decode()  # 我的导出
    logged = ChangeLog.objects.count()
    result = import_experts(read(content), user=unit_user, unit=unit_user.unit)
    assert result.ok and (result.new, result.updated, result.unchanged) == (0, 0, 1), result.problems
    assert ChangeLog.objects.count() == logged


def test_a_selection_of_another_units_experts_downloads_no_data(unit_user, other_client, client):
    theirs = make_expert(unit_user)
    content = downloaded(other_client.get(reverse("experts:export_selected"), {"expert": theirs.pk}))
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert [row for row in book["基本信息"].iter_rows(min_row=2, values_only=True) if any(row)] == []
    assert "周建华" not in content.decode("latin-1")
    response = client.get(reverse("experts:export_selected"), {"expert": theirs.pk})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_an_empty_selection_goes_back_to_the_list(unit_client):
    response = unit_client.get(reverse("experts:export_selected"))
    assert response.status_code == 302 and response.url == reverse("experts:list")


# --- through the upload page, as a unit does it ----------------------------------------------------------------

def edited(content: bytes, label: str, value) -> bytes:
    """The form as Excel saves it after the expert changed the value beside `label` (openpyxl: another writer)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[FORM]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == label and c.column in (1, 5))
    sheet.cell(cell.row, cell.column + 1).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("exchange:import_upload", args=["experts"]),
                       {"file": SimpleUploadedFile("专家信息登记表.xlsx", content, content_type=XLSX)})


def test_a_returned_form_is_uploaded_previewed_and_confirmed(unit_user, unit_client, organization):
    from iodp.exchange.models import ImportBatch, ImportStatus

    expert = make_expert(unit_user, organization=organization)
    content = downloaded(unit_client.get(reverse("experts:registration_form", args=[expert.pk])))
    upload(unit_client, edited(content, "工作单位", "清华大学"))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATED, batch.result
    assert (batch.result["new"], batch.result["updated"], batch.result["unchanged"]) == (0, 1, 0)
    unit_client.post(reverse("exchange:import_confirm", args=[batch.pk]), {"action": "confirm"})
    expert.refresh_from_db()
    assert expert.employer == "清华大学" and expert.status == RecordStatus.DRAFT


def test_a_returned_form_with_a_bad_value_is_refused_at_its_label(unit_user, unit_client, organization):
    from iodp.exchange.models import ImportBatch, ImportStatus

    expert = make_expert(unit_user, organization=organization)
    content = downloaded(unit_client.get(reverse("experts:registration_form", args=[expert.pk])))
    upload(unit_client, edited(content, "邮箱", "不是邮箱"))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    assert [(p["sheet"], p["row"], p["column"]) for p in batch.result["problems"]] == [(FORM, 8, "邮箱")]
    page = unit_client.get(batch.get_absolute_url()).content.decode()
    assert FORM in page and "邮箱" in page


def test_a_form_without_its_name_label_is_refused_on_upload(unit_user, unit_client):
    from iodp.exchange.models import ImportBatch

    book = openpyxl.load_workbook(io.BytesIO(form_bytes()))
    book[FORM]["A4"].value = "名字"  # 姓名's label changed
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(unit_client, buffer.getvalue())
    assert response.status_code == 200 and "缺少列“姓名”" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_form_of_an_open_revision_names_the_official_record_and_imports_back_unchanged(
        unit_user, unit_client, organization, platform_admin):
    from iodp.core import workflow_services as wf

    official = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    revision = wf.record_start_revision(record=official, by=unit_user)
    revision.employer = "清华大学"
    revision = wf.record_save(record=revision, by=unit_user, expected_version=revision.version)
    content = downloaded(unit_client.get(reverse("experts:registration_form", args=[revision.pk])))
    sheet = read(content)[0]
    assert value_of(sheet, "专家编号") == official.pk and value_of(sheet, "工作单位") == "清华大学"
    result = import_experts(read(content), user=unit_user, unit=unit_user.unit)
    assert result.ok and (result.updated, result.unchanged) == (0, 1), result.problems
