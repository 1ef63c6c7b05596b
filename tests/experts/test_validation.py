"""Validation of every field of the expert record and its child rows (model, service and form level)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.workflow import RecordStatus
from iodp.experts.demo import demo_id_number
from iodp.experts.forms import UNKNOWN_ORGANIZATION, ExpertForm, PositionForm
from iodp.experts.identity import mask_birth_date, mask_id_number
from iodp.experts.models import Education, Employment, Expert, ExpertKind, Position
from iodp.experts.pinyin import name_initials, name_pinyin, suggest_name_en
from iodp.organizations.models import Organization

from .conftest import BORN, ID_1980, expert_values, make_expert, years_ago


def errors_of(expert) -> dict:
    with pytest.raises(ValidationError) as error:
        expert.full_clean()
    return error.value.message_dict


def test_a_valid_expert_passes(unit_user):
    Expert(**expert_values(unit_user.unit)).full_clean()


def test_resident_id_with_a_bad_checksum_is_refused(unit_user):
    bad = ID_1980[:-1] + ("0" if ID_1980[-1] != "0" else "1")
    errors = errors_of(Expert(**expert_values(unit_user.unit, id_number=bad)))
    assert errors["id_number"] == ["居民身份证号码校验位不正确，请核对最后一位。"]


def test_resident_id_of_the_wrong_length_says_how_long_it_is(unit_user):
    errors = errors_of(Expert(**expert_values(unit_user.unit, id_number="11010519800615")))
    assert errors["id_number"] == ["居民身份证号码应为 18 位，当前为 14 位。"]


def test_resident_id_with_an_impossible_birth_date_is_refused(unit_user):
    body = "11010519801345013"  # month 13
    errors = errors_of(Expert(**expert_values(unit_user.unit, id_number=body + "X")))
    assert "id_number" in errors


def test_resident_id_must_match_the_birth_date(unit_user):
    errors = errors_of(Expert(**expert_values(unit_user.unit, birth_date=datetime.date(1980, 6, 16))))
    assert errors["birth_date"] == ["出生日期与身份证号码不一致：身份证号码中的出生日期为 1980-06-15。"]


def test_resident_id_must_match_the_gender(unit_user):
    errors = errors_of(Expert(**expert_values(unit_user.unit, gender="female")))
    assert errors["gender"] == ["性别与身份证号码不一致：身份证号码第 17 位表示男性。"]


def test_resident_id_is_normalised_with_upper_case_x(unit_user):
    number = demo_id_number("110105", BORN, "013")
    lower = number[:-1] + number[-1].lower()
    expert = Expert(**expert_values(unit_user.unit, id_number=f" {lower} "))
    expert.full_clean()
    assert expert.id_number == number


def test_passport_numbers_are_checked_for_format_only(unit_user):
    Expert(**expert_values(unit_user.unit, id_type="passport", id_number="E12345678")).full_clean()
    errors = errors_of(Expert(**expert_values(unit_user.unit, id_type="passport", id_number="E1 2#")))
    assert errors["id_number"] == ["证件号码格式不正确：应为 5–32 位字母或数字。"]


def test_experts_under_18_are_refused_and_18_is_accepted(unit_user):
    seventeen = years_ago(18) + datetime.timedelta(days=1)
    errors = errors_of(Expert(**expert_values(unit_user.unit, birth_date=seventeen, id_number="")))
    assert errors["birth_date"] == ["专家年龄应不小于 18 岁（按出生日期计算为 17 岁），请核对出生日期。"]
    Expert(**expert_values(unit_user.unit, birth_date=years_ago(18), id_number="")).full_clean()


def test_birth_dates_in_the_future_are_refused(unit_user):
    errors = errors_of(Expert(**expert_values(unit_user.unit, id_number="",
                                              birth_date=clock.today() + datetime.timedelta(days=1))))
    assert errors["birth_date"] == ["出生日期不能晚于今天。"]


def test_phone_and_email_are_validated(unit_user):
    errors = errors_of(Expert(**expert_values(unit_user.unit, phone="12345", email="not-an-email")))
    assert "phone" in errors and "email" in errors


def test_negative_foreign_affairs_years_are_refused(unit_user):
    errors = errors_of(Expert(**expert_values(unit_user.unit, foreign_affairs_years=-1)))
    assert errors["foreign_affairs_years"] == ["涉外工作年限不能为负数。"]


def test_terms_ending_before_they_start_are_refused(unit_user, organization):
    expert = make_expert(unit_user)
    position = Position(expert=expert, organization=organization, role="member", level="mid_level",
                        term_start=datetime.date(2024, 1, 1), term_end=datetime.date(2023, 12, 31), status="former")
    with pytest.raises(ValidationError) as error:
        position.full_clean()
    assert error.value.message_dict["term_end"] == ["任期结束不能早于任期开始。"]


def test_a_current_post_whose_term_has_ended_is_refused(unit_user, organization):
    expert = make_expert(unit_user)
    position = Position(expert=expert, organization=organization, role="member", level="mid_level",
                        term_start=datetime.date(2018, 1, 1), term_end=datetime.date(2020, 12, 31), status="current")
    with pytest.raises(ValidationError) as error:
        position.full_clean()
    assert error.value.message_dict["status"] == ["任期已于 2020-12-31 结束，请改为“曾任”。"]


@pytest.mark.parametrize("model", [Education, Employment])
def test_reversed_education_and_employment_dates_are_refused(unit_user, model):
    expert = make_expert(unit_user)
    row = model(expert=expert, institution="北京大学", start=datetime.date(2010, 9, 1), end=datetime.date(2009, 7, 1))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert error.value.message_dict["end"] == ["结束时间不能早于开始时间。"]


def test_unknown_organizations_are_refused_with_a_pointer_to_the_registry(unit_user, other_unit_user):
    other_draft = Organization.objects.create(name_zh="别的单位的草稿组织", unit=other_unit_user.unit)
    data = {"role": "member", "level": "mid_level", "status": "current"}
    for value in (other_draft.pk, 999999):
        form = PositionForm(data={**data, "organization": value}, user=unit_user)
        assert not form.is_valid()
        assert form.errors["organization"] == [str(UNKNOWN_ORGANIZATION)]


def test_the_organization_choice_offers_approved_and_own_organizations(unit_user, organization):
    own_draft = Organization.objects.create(name_zh="本单位草稿组织", unit=unit_user.unit)
    form = PositionForm(data={"role": "member", "level": "mid_level", "status": "current",
                              "organization": own_draft.pk}, user=unit_user)
    assert form.is_valid(), form.errors
    form = PositionForm(data={"role": "member", "level": "mid_level", "status": "current",
                              "organization": organization.pk}, user=unit_user)
    assert form.is_valid(), form.errors


def test_expert_form_reports_phone_errors_in_chinese(unit_user):
    form = ExpertForm(data={"name_zh": "张三", "phone": "abc", "id_type": "resident_id"},
                      instance=Expert(unit=unit_user.unit), user=unit_user)
    assert not form.is_valid()
    assert "请输入有效的电话号码" in form.errors["phone"][0]


def test_reserve_form_maps_target_levels_onto_the_record(unit_user):
    expert = Expert(unit=unit_user.unit, kind=ExpertKind.RESERVE)
    form = ExpertForm(data={"name_zh": "李四", "id_type": "passport", "target_levels": ["leadership", "secretariat"]},
                      instance=expert, user=unit_user)
    assert form.is_valid(), form.errors
    assert expert.target_levels == ["leadership", "secretariat"]
    assert "target_levels" not in ExpertForm(instance=Expert(unit=unit_user.unit), user=unit_user).fields


def test_pinyin_is_suggested_from_the_chinese_name_and_stays_editable(unit_user):
    assert suggest_name_en("张三丰") == "Zhang Sanfeng"
    assert suggest_name_en("欧阳娜娜") == "Ouyang Nana"
    assert suggest_name_en("曾国藩") == "Zeng Guofan"
    assert (name_pinyin("欧阳娜娜"), name_initials("张三丰")) == ("ouyangnana", "zsf")
    expert = wf.record_save(record=Expert(unit=unit_user.unit, name_zh="单雄信"), by=unit_user)
    assert expert.name_en == "Shan Xiongxin"
    expert = wf.record_save(record=Expert(unit=unit_user.unit, name_zh="李白", name_en="Li Po"), by=unit_user)
    assert expert.name_en == "Li Po" and expert.name_pinyin == "libai" and expert.name_initials == "lb"


def test_masking_keeps_the_first_six_and_last_four_characters():
    assert mask_id_number("110105198006150134") == "110105********0134"
    assert mask_birth_date(datetime.date(1980, 6, 15)) == "1980-**-**"
    assert mask_id_number("") == ""


def test_a_draft_needs_only_the_name(unit_user):
    with pytest.raises(ValidationError) as error:
        wf.record_save(record=Expert(unit=unit_user.unit), by=unit_user)
    assert "name_zh" in error.value.message_dict
    expert = wf.record_save(record=Expert(unit=unit_user.unit, name_zh="王五"), by=unit_user)
    assert expert.status == RecordStatus.DRAFT


def test_a_serving_expert_needs_a_current_post_to_be_submitted(unit_user, organization):
    expert = make_expert(unit_user, organization=organization, position_status="former")
    with pytest.raises(ValidationError) as error:
        wf.record_submit(record=expert, by=unit_user, expected_version=expert.version)
    assert error.value.message_dict["positions"] == ["已任职专家提交前请至少填写一条“现任”的国际组织任职信息。"]
    assert Expert.objects.get(pk=expert.pk).status == RecordStatus.DRAFT


def test_a_reserve_expert_needs_a_target_level_and_a_language_to_be_submitted(unit_user):
    expert = make_expert(unit_user, kind=ExpertKind.RESERVE, languages=())
    with pytest.raises(ValidationError) as error:
        wf.record_submit(record=expert, by=unit_user, expected_version=expert.version)
    assert error.value.message_dict["target_leadership"] == ["后备专家提交前请至少选择一个目标层级。"]
    assert error.value.message_dict["languages"] == ["提交前请至少填写一种外语能力。"]


def test_submit_requires_the_basic_fields(unit_user):
    expert = wf.record_save(record=Expert(unit=unit_user.unit, name_zh="赵六", kind=ExpertKind.RESERVE,
                                          target_mid_level=True), by=unit_user)
    with pytest.raises(ValidationError) as error:
        wf.record_submit(record=expert, by=unit_user, expected_version=expert.version)
    assert {"gender", "birth_date", "id_number", "phone", "employer", "category"} <= set(error.value.message_dict)


def test_names_split_into_surname_and_given_name_compound_surnames_whole():
    from iodp.experts.pinyin import COMPOUND_SURNAMES, split_name

    assert split_name("张三丰") == ("张", "三丰")
    assert split_name(" 欧阳娜娜 ") == ("欧阳", "娜娜")
    assert split_name("司马光") == ("司马", "光")
    assert split_name("欧阳") == ("欧", "阳")  # nothing left after a compound surname: read as surname 欧
    assert split_name("王") == ("王", "")
    assert split_name("") == ("", "")
    assert split_name(None) == ("", "")
    for surname in COMPOUND_SURNAMES:
        assert len(surname) == 2  # (what split_name looks up)
        assert split_name(surname + "明") == (surname, "明")
