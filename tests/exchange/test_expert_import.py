"""导入 of experts (service level): the template's sheets become the unit's experts through the same services and
rules as the edit page; all or nothing; matched by 专家编号, ID number or name + birth date; unchanged rows write
nothing; the form and the importer refuse the same values with the same messages."""

import datetime
import io
from dataclasses import dataclass

import pytest
from python_calamine import CalamineWorkbook

from iodp.core.models import ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.exchange.xlsx import write_workbook
from iodp.experts.demo import demo_id_number
from iodp.experts.exports import expert_workbook
from iodp.experts.forms import ExpertForm, LanguageFormSetClass
from iodp.experts.imports import RefusedImport, import_experts
from iodp.experts.models import Expert, ExpertKind

from ..experts.conftest import ID_1980, make_expert

pytestmark = pytest.mark.django_db

BASIC_HEADER = ["专家编号", "序号", "专家类型", "姓名", "性别", "出生日期", "国籍", "证件类型", "证件号码", "电话", "邮箱",
                "工作单位", "人员类别", "涉外工作年限"]
BORN = datetime.date(1975, 3, 8)
ID_1975 = demo_id_number("110108", BORN, "021")  # odd 17th digit: male


@dataclass
class Sheet:
    name: str
    rows: list


def basic_row(number, name="司马青", *, key=None, **overrides):
    values = dict(zip(BASIC_HEADER, [key, number, "已任职专家", name, "男", BORN, "中国", "居民身份证", ID_1975,
                                     "13912345678", "sima@example.cn", "北京大学", "专家学者", 3], strict=True))
    values.update(overrides)
    return [values[h] for h in BASIC_HEADER]


def workbook(basic_rows, *, languages=(), positions=(), header=BASIC_HEADER):
    return [
        Sheet("基本信息", [header, *basic_rows]),
        Sheet("语言能力", [["序号", "语种", "熟练程度", "证书"], *languages]),
        Sheet("国际组织任职", [["序号", "国际组织", "英文缩写", "职务名称", "职位", "层级", "任期开始", "任期结束", "任职状态"],
                          *positions]),
    ]


def post(number, organization="国际纯粹与应用化学联合会", acronym=""):
    return [number, organization, acronym, "执行委员", "执委", "决策层", datetime.date(2022, 1, 1),
           datetime.date(2030, 12, 31), "现任"]


def read_back(sheets) -> list[Sheet]:
    """What the reader gives for an exported workbook: each sheet's rows as values."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    book = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    return [Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]


def test_new_experts_are_created_with_their_lists_as_drafts(unit_user, organization):
    sheets = workbook([basic_row(1), basic_row(2, "欧阳晓梅", 性别="女", 证件号码=demo_id_number("110105", BORN, "024"))],
                      languages=[[1, "英语", "工作语言", "IELTS 7.5"], [2, "法语", "熟练", None]],
                      positions=[post(1), post(2, organization="", acronym="IUPAC")])
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert result.ok, result.problems
    assert (result.new, result.updated, result.unchanged, result.invalid) == (2, 0, 0, 0)
    sima = Expert.objects.get(name_zh="司马青")
    assert sima.status == RecordStatus.DRAFT and sima.unit == unit_user.unit and sima.kind == ExpertKind.SERVING
    assert sima.phone == "+8613912345678" and sima.name_en == "Sima Qing"
    assert list(sima.languages.values_list("language", "certificate")) == [("en", "IELTS 7.5")]
    assert sima.positions.get().organization == organization
    assert Expert.objects.get(name_zh="欧阳晓梅").positions.get().organization == organization  # by acronym
    assert ChangeLog.objects.filter(object_id=sima.history_id, action="create").exists()


def test_a_dry_run_reports_and_writes_nothing(unit_user, organization):
    result = import_experts(workbook([basic_row(1)], positions=[post(1)]), user=unit_user, unit=unit_user.unit,
                            dry_run=True)
    assert result.ok and result.new == 1
    assert not Expert.objects.exists() and not ChangeLog.objects.filter(content_type__model="expert").exists()


def test_one_bad_row_leaves_the_database_untouched_and_each_problem_is_located(unit_user, organization):
    sheets = workbook([basic_row(1), basic_row(2, "钱学文", 性别="未知", 出生日期="1975-13-40")],
                      positions=[post(1), post(2, organization="国际纯粹与应用化学联合")])
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert not result.ok and result.invalid == 1
    located = {(p.sheet, p.row, p.column) for p in result.problems}
    assert ("基本信息", 3, "性别") in located and ("基本信息", 3, "出生日期") in located
    assert ("国际组织任职", 3, "国际组织") in located
    guess = next(p.message for p in result.problems if p.column == "国际组织")
    assert "是否为“国际纯粹与应用化学联合会（IUPAC）”" in guess
    assert not Expert.objects.exists()  # the good row 1 was not kept either


def test_an_exported_workbook_imports_back_unchanged(unit_user, organization, platform_admin):
    make_expert(unit_user, organization=organization)
    make_expert(unit_user, organization=organization, name_zh="欧阳晓梅", gender="female",
                id_number=demo_id_number("110105", datetime.date(1980, 6, 15), "024"), approve_by=platform_admin)
    logged = ChangeLog.objects.count()
    sheets = read_back(expert_workbook(Expert.objects.filter(unit=unit_user.unit, revision_of__isnull=True)))
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert result.ok, result.problems
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    assert ChangeLog.objects.count() == logged and Expert.objects.count() == 2  # no revision, no history


def test_importing_the_same_file_twice_changes_nothing_the_second_time(unit_user, organization):
    sheets = workbook([basic_row(1)], languages=[[1, "英语", "工作语言", None]], positions=[post(1)])
    assert import_experts(sheets, user=unit_user, unit=unit_user.unit).new == 1
    logged = ChangeLog.objects.count()
    again = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1), again.problems
    assert ChangeLog.objects.count() == logged and Expert.objects.count() == 1


def test_a_changed_approved_expert_gets_a_revision_and_the_official_record_stays(unit_user, organization,
                                                                                 platform_admin):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    sheets = read_back(expert_workbook(Expert.objects.filter(pk=expert.pk)))
    basic = sheets[0].rows
    basic[1][basic[0].index("电话")] = "010-68571234"
    result = import_experts(sheets, user=unit_user, unit=unit_user.unit)
    assert result.ok and result.updated == 1, result.problems
    expert.refresh_from_db()
    assert expert.phone == "+8613800138000" and expert.status == RecordStatus.APPROVED
    revision = expert.revisions.get()
    assert revision.phone == "+861068571234" and revision.status == RecordStatus.DRAFT
    assert revision.id_number == ID_1980  # the masked number in the file kept the stored one
    assert revision.positions.count() == 1


def test_matched_by_id_number_then_by_name_and_birth_date(unit_user, organization):
    by_id = make_expert(unit_user, organization=organization, id_number=ID_1975, birth_date=BORN)
    result = import_experts(workbook([basic_row(1, 工作单位="清华大学")], positions=[post(1)]), user=unit_user,
                            unit=unit_user.unit)
    assert result.updated == 1 and Expert.objects.count() == 1, result.problems
    by_id.refresh_from_db()
    assert by_id.employer == "清华大学"
    result = import_experts(workbook([basic_row(1, 证件号码=None, 工作单位="复旦大学")], positions=[post(1)]),
                            user=unit_user, unit=unit_user.unit)
    assert result.updated == 1 and Expert.objects.count() == 1, result.problems


def test_submitting_checks_what_submitting_on_the_page_checks(unit_user, organization):
    result = import_experts(workbook([basic_row(1)]), user=unit_user, unit=unit_user.unit, submit=True)
    assert not result.ok
    messages = {(p.sheet, p.message) for p in result.problems}
    assert ("国际组织任职", "已任职专家提交前请至少填写一条“现任”的国际组织任职信息。") in messages
    assert ("语言能力", "提交前请至少填写一种外语能力。") in messages
    result = import_experts(workbook([basic_row(1)], languages=[[1, "英语", "工作语言", None]],
                                     positions=[post(1)]), user=unit_user, unit=unit_user.unit, submit=True)
    assert result.ok and Expert.objects.get().status == RecordStatus.SUBMITTED


def test_another_units_expert_cannot_be_named_by_its_number(unit_user, other_unit_user, organization):
    theirs = make_expert(other_unit_user, organization=organization)
    result = import_experts(workbook([basic_row(1, key=theirs.pk)], positions=[post(1)]), user=unit_user,
                            unit=unit_user.unit)
    assert [p.message for p in result.problems] == [
        f"专家编号 {theirs.pk} 不是本单位的专家。新增专家请将专家编号留空。"]
    theirs.refresh_from_db()
    assert theirs.employer == "北京大学" and Expert.objects.count() == 1


def test_not_a_template_is_refused():
    with pytest.raises(RefusedImport, match="缺少工作表“基本信息”"):
        import_experts([Sheet("Sheet1", [["a"]])], user=None, unit=None)
    with pytest.raises(RefusedImport, match="缺少列“姓名”"):
        import_experts([Sheet("基本信息", [["序号", "名字"], [1, "张三"]])], user=None, unit=None)


BAD_VALUES = [
    ("phone", "电话", "12345"),
    ("email", "邮箱", "not-an-email"),
    ("birth_date", "出生日期", "2999-01-01"),
    ("id_number", "证件号码", ID_1975[:-1] + ("0" if ID_1975[-1] != "0" else "1")),
    ("name_zh", "姓名", "张" * 65),
    ("foreign_affairs_years", "涉外工作年限", "-1"),
]


@pytest.mark.parametrize("name,header,value", BAD_VALUES)
def test_the_form_and_the_importer_refuse_a_bad_value_with_the_same_message(unit_user, organization, name, header,
                                                                            value):
    data = {"name_zh": "司马青", "gender": "male", "birth_date": BORN.isoformat(), "nationality": "",
            "id_type": "resident_id", "id_number": ID_1975, "phone": "13912345678", "email": "sima@example.cn",
            "employer": "北京大学", "category": "scholar", "foreign_affairs_years": "3", name: value}
    form = ExpertForm(data, instance=Expert(unit=unit_user.unit), user=unit_user)
    form.is_valid()
    form_messages = set(form.errors.get(name, []))
    result = import_experts(workbook([basic_row(1, **{header: value})], positions=[post(1)]), user=unit_user,
                            unit=unit_user.unit)
    import_messages = {p.message for p in result.problems if p.column == header}
    assert form_messages and form_messages == import_messages, (form_messages, import_messages)


def test_the_form_and_the_importer_refuse_one_language_twice(unit_user, organization):
    prefix = "languages"
    data = {f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "30", f"{prefix}-0-language": "en", f"{prefix}-0-proficiency": "working",
            f"{prefix}-1-language": "en", f"{prefix}-1-proficiency": "fluent"}
    formset = LanguageFormSetClass(data, instance=Expert(), prefix=prefix)
    assert not formset.is_valid()
    result = import_experts(workbook([basic_row(1)], languages=[[1, "英语", "工作语言", None], [1, "英语", "熟练", None]],
                                     positions=[post(1)]), user=unit_user, unit=unit_user.unit)
    assert formset.non_form_errors() == [p.message for p in result.problems if p.sheet == "语言能力"]


def test_the_queries_of_an_import_do_not_grow_with_its_rows(unit_user, organization):
    """Experts are checked and written a chunk at a time (`CHUNK`): 150 experts take the statements of 3, but
    for SQLite's cap on parameters per INSERT, which splits a bulk insert into a few statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def imported(start: int, count: int) -> int:
        rows, languages, positions = [], [], []
        for i in range(start, start + count):
            born = datetime.date(1960 + i % 35, 1 + i % 12, 1 + i % 28)
            rows.append(basic_row(i, f"专家{i:04d}", 出生日期=born, 证件号码=demo_id_number("110105", born, "013"),
                                  电话=f"139{i:08d}"))
            languages.append([i, "英语", "工作语言", None])
            positions.append(post(i))
        with CaptureQueriesContext(connection) as queries:
            result = import_experts(workbook(rows, languages=languages, positions=positions), user=unit_user,
                                    unit=unit_user.unit)
        assert result.ok and result.new == count, result.problems[:3]
        return len(queries.captured_queries)

    few, many = imported(1, 3), imported(1000, 150)
    assert many <= few + 8, (few, many)


def test_an_error_in_row_9999_of_10000_leaves_the_database_untouched(unit_user):
    rows = []
    for i in range(1, 10001):
        born = datetime.date(1960 + i % 35, 1 + i % 12, 1 + i % 28)
        rows.append(basic_row(i, f"专家{i:05d}", 出生日期=born,
                              证件号码=demo_id_number("110105", born, f"{(i % 499) * 2 + 1:03d}"), 电话=f"139{i:08d}"))
    rows[9997][BASIC_HEADER.index("邮箱")] = "不是邮箱"  # spreadsheet row 9,999 (the header is row 1)
    before = ChangeLog.objects.count()
    result = import_experts(workbook(rows), user=unit_user, unit=unit_user.unit)
    assert not result.ok and result.invalid == 1
    assert [(p.row, p.column) for p in result.problems] == [(9999, "邮箱")]
    assert result.new == 9999  # what the file would have done, counted
    assert not Expert.objects.exists() and ChangeLog.objects.count() == before
