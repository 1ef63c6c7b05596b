"""An import of more than one chunk parses its cells in a second process (`parse_ahead`, IODP_IMPORT_PARSE_AHEAD):
it gives exactly what parsing everything in the importing process gives, problems, masked values, updates and
unknown organizations (whose hint needs the database) included."""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError

from iodp.experts.demo import demo_id_number
from iodp.experts.exports import expert_workbook
from iodp.experts.imports import CHUNK, import_experts
from iodp.experts.models import Expert

from .test_expert_import import BASIC_HEADER, basic_row, post, read_back, workbook

pytestmark = pytest.mark.django_db
COUNT = CHUNK * 2 + 50  # three chunks


def many_experts():
    rows, languages, positions = [], [], []
    for i in range(1, COUNT + 1):
        born = datetime.date(1960 + i % 35, 1 + i % 12, 1 + i % 28)
        rows.append(basic_row(i, f"专家{i:04d}", 出生日期=born, 证件号码=demo_id_number("110105", born, f"{i % 499 * 2 + 1:03d}"),
                              电话=f"139{i:08d}"))
        languages += [[i, "英语", "工作语言", None], [i, "法语", "熟练", "DELF B2"]]
        positions.append(post(i))
    return rows, languages, positions


def both_ways(settings, sheets, user, **options):
    """(parsed ahead, parsed here): each import's result as it is stored, after a dry run."""
    outcomes = []
    for ahead in (True, False):
        settings.IODP_IMPORT_PARSE_AHEAD = ahead
        outcomes.append(import_experts(sheets, user=user, unit=user.unit, dry_run=True, **options).as_dict())
    return outcomes


def test_a_file_with_problems_previews_the_same_parsed_ahead_or_here(settings, unit_user, organization, caplog):
    rows, languages, positions = many_experts()
    rows[3][BASIC_HEADER.index("邮箱")] = "不是邮箱"
    rows[250][BASIC_HEADER.index("出生日期")] = "1975-13-40"
    rows[420][BASIC_HEADER.index("专家类型")] = "不存在的类型"
    # checks of the record that the second process works out ahead too (`expert_checks_ahead`)
    rows[220][BASIC_HEADER.index("出生日期")] = datetime.date(1961, 2, 3)  # not the ID number's
    rows[230][BASIC_HEADER.index("性别")] = "女"  # the ID number's is 男
    rows[240][BASIC_HEADER.index("证件号码")] = "1101051975010100X1"  # malformed
    languages.append([300, "英语", "熟练", None])  # a second 英语 for expert 300
    positions[260] = post(261, organization="国际不存在学会")  # the hint looks the registry up: done here
    positions[5] = [6, "国际纯粹与应用化学联合会", "", "执行委员", "执委", "决策层", datetime.date(2030, 1, 1),
                    datetime.date(2022, 12, 31), "现任"]  # ends before it starts
    with caplog.at_level(logging.WARNING, logger="iodp.core.parallel"):
        ahead, here = both_ways(settings, workbook(rows, languages=languages, positions=positions), unit_user)
    assert ahead == here
    assert ahead["invalid"] == 9 and ahead["new"] == COUNT - 9
    assert {(p["sheet"], p["row"]) for p in ahead["problems"]} >= {
        ("基本信息", 5), ("基本信息", 252), ("基本信息", 422), ("国际组织任职", 262), ("国际组织任职", 7),
        ("基本信息", 222), ("基本信息", 232), ("基本信息", 242)}
    messages = {p["row"]: p["message"] for p in ahead["problems"] if p["sheet"] == "基本信息"}
    assert "出生日期与身份证号码不一致" in messages[222] and "性别与身份证号码不一致" in messages[232]
    assert any("国际不存在学会" in p["message"] for p in ahead["problems"])
    assert "worked-ahead" not in caplog.text  # the second process did its part: nothing handed back


def test_stored_experts_sent_back_masked_are_matched_the_same_and_a_second_import_changes_nothing(
        settings, unit_user, organization):
    rows, languages, positions = many_experts()
    settings.IODP_IMPORT_PARSE_AHEAD = True
    first = import_experts(workbook(rows, languages=languages, positions=positions), user=unit_user,
                           unit=unit_user.unit)
    assert first.ok and first.new == COUNT, first.problems[:3]
    exported = read_back(expert_workbook(Expert.objects.filter(unit=unit_user.unit).order_by("pk")))
    basic = next(sheet for sheet in exported if sheet.name == "基本信息")
    assert "*" in str(basic.rows[1][basic.rows[0].index("证件号码")])  # masked, as sent out
    unchanged_ahead, unchanged_here = both_ways(settings, exported, unit_user)
    assert unchanged_ahead == unchanged_here and unchanged_ahead["unchanged"] == COUNT

    id_column = basic.rows[0].index("证件号码")
    basic.rows[10][basic.rows[0].index("工作单位")] = "清华大学"
    masked, basic.rows[300][id_column] = basic.rows[300][id_column], "110105197501010000"  # a new, invalid number
    ahead, here = both_ways(settings, exported, unit_user)
    assert ahead == here and ahead["updated"] == 1 and ahead["invalid"] == 1
    assert ahead["unchanged"] == COUNT - 2

    basic.rows[300][id_column] = masked
    settings.IODP_IMPORT_PARSE_AHEAD = True
    result = import_experts(exported, user=unit_user, unit=unit_user.unit)
    assert result.ok and result.updated == 1, result.problems[:3]
    assert list(Expert.objects.filter(employer="清华大学").values_list("name_zh", flat=True)) == [basic.rows[10][basic.rows[0].index("姓名")]]
    again = import_experts(exported, user=unit_user, unit=unit_user.unit)
    assert again.ok and again.unchanged == COUNT and again.updated == again.new == 0


def test_the_checks_worked_out_ahead_are_those_of_the_record_the_import_checks(unit_user, organization):
    """`expert_checks_ahead` (what the second process adds to an expert's parsed cells while it is ahead): its
    inputs are those of the new expert the import makes of the same cells, so the record takes them (its
    derived values, its ID number's checks, its fields found to pass), and they are what the record works out
    itself: the same derived values, the same problems."""
    from iodp.core import workflow_services as wf
    from iodp.core.workflow import RecordStatus
    from iodp.exchange.importing import ImportResult
    from iodp.experts.imports import (
        DERIVED_INPUTS,
        Lookups,
        StoredExperts,
        expert_checks_ahead,
        group_entries,
        parse_entry,
        prepare_entry,
    )
    from iodp.experts.models import derived_values

    rows = [basic_row(1, "司马青"), basic_row(2, "欧阳娜娜", 出生日期=datetime.date(1961, 2, 3)),
            basic_row(3, "王伟", 性别="女"), basic_row(4, "李　雷 "), basic_row(5, "张三", 证件号码="1101051975010100X1"),
            basic_row(6, "Anna Schmidt", 证件类型="护照", 证件号码="c1234567"), basic_row(7, "赵六", 证件号码=""),
            basic_row(8, "钱七", 专家类型="后备专家")]
    result = ImportResult()
    entries, lists = group_entries(workbook(rows), result)
    lookups, stored = Lookups(unit_user), StoredExperts(unit_user, unit_user.unit)
    compared = 0
    for entry in entries:
        parsed = parse_entry(entry, lists, lookups)
        ahead = expert_checks_ahead(parsed.basic)
        parsed.ahead = ahead
        prepared = prepare_entry(entry, parsed, user=unit_user, unit=unit_user.unit, lists=lists, lookups=lookups,
                                 stored=stored, pk=None, result=result)
        record = prepared.item.record
        assert record.worked_ahead is ahead
        inputs = tuple(getattr(record, name) for name in DERIVED_INPUTS)
        assert ahead["derived"] == (inputs, derived_values(*inputs))  # taken by fill_derived_fields
        record.version, record.status = 0, RecordStatus.DRAFT  # (what records_save_batch sets, then checks)
        assert ahead["fields"] == wf.record_cleaner(Expert).values_key(record)  # taken by its full_clean
        twin = Expert(**{f.attname: getattr(record, f.attname) for f in Expert._meta.concrete_fields})
        twin.shown_masked = record.shown_masked
        errors = []
        for expert in (record, twin):  # with what was worked out ahead, and without
            try:
                expert.full_clean(exclude=["unit", "created_by", "updated_by", "nationality"])
                errors.append({})
            except ValidationError as error:
                errors.append(error.message_dict)
        assert errors[0] == errors[1]
        assert [getattr(record, name) for name in ("name_en", "name_pinyin", "id_number", "id_key", "search_pairs")] == [
            getattr(twin, name) for name in ("name_en", "name_pinyin", "id_number", "id_key", "search_pairs")]
        if record.id_number:
            arguments = (record.id_type, record.id_number, record.birth_date, record.gender, True)
            assert ahead["id_errors"][0] == arguments  # taken by clean()
            compared += bool(ahead["id_errors"][1])
        else:
            assert "id_errors" not in ahead
    assert compared == 3  # the birth date, the gender and the malformed number: each refused, the same way


def test_values_worked_out_ahead_for_other_values_are_not_taken(unit_user):
    """An expert whose `worked_ahead` was worked out for other values (its cells changed since, e.g. an updated
    expert's) works its own out."""
    born = datetime.date(1975, 1, 1)
    expert = Expert(unit=unit_user.unit, name_zh="王伟", birth_date=born, gender="male",
                    id_number=demo_id_number("110105", born, "001"))
    stale_inputs = ("李雷", "", expert.id_type, expert.id_number, "")
    expert.worked_ahead = {
        "derived": (stale_inputs, {"name_zh": "李雷", "name_en": "Li Lei", "name_pinyin": "lilei", "name_initials": "ll",
                                   "id_number": expert.id_number, "id_key": "x", "search_pairs": " 李雷 "}),
        "id_errors": ((expert.id_type, expert.id_number, datetime.date(1980, 1, 1), "male", True),
                      [("birth_date", "不应出现")])}
    expert.fill_derived_fields()
    assert (expert.name_zh, expert.name_en, expert.name_pinyin) == ("王伟", "Wang Wei", "wangwei")
    assert expert.id_errors(birth_date=born, disclose=True) == []
