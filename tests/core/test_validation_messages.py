"""Every validation message a user can meet names the field and its limit in plain Chinese: none of Django's
generic wording ("确保该值…", "这个字段是必填项", "输入一个有效的…") reaches the main forms, and a service's
`full_clean` says the same."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iodp.institutions.models import Institution
from iodp.organizations.models import Conference

from ..accounts.test_views import registration_data
from ..experts.test_views import expert_post
from ..institutions.test_views import form_data as institution_data
from ..organizations.factories import approved_organization
from ..organizations.test_memberships import plan_data
from ..organizations.test_views import form_data as organization_data

pytestmark = pytest.mark.django_db

GENERIC = ("确保该变量", "确保该值", "确保", "这个字段是必填项", "这个字段不能为空", "输入一个有效的", "输入整数",
           "输入一个数字", "选择一个有效的选项", "Ensure this value", "This field is required", "Enter a valid")

CASES = [
    ("organization", {"acronym": "A" * 40}, "英文缩写最多 32 个字符（当前 40 个）"),
    ("organization", {"name_zh": "测" * 201}, "中文名称最多 200 个字符（当前 201 个）"),
    ("organization", {"founded_year": "一九五〇"}, "成立年份请填写整数"),
    ("organization", {"founded_date": "1950-02-30"}, "成立日期请填写有效的日期，例如 2024-05-01"),
    ("organization", {"website": "iuts"}, "官方网址请填写有效的网址"),
    ("organization", {"email": "info@"}, "邮箱请填写有效的邮箱地址，例如 name@example.org"),
    ("organization", {"nature": "galactic"}, "性质的选项“galactic”无效，请从列表中选择"),
    ("organization", {"dues_amount": "abc", "dues_currency": "USD"}, "会费金额请填写数字"),
    ("organization", {"dues_amount": "1.234", "dues_currency": "USD"}, "会费金额最多保留 2 位小数"),
    ("organization", {"awards-0-name": "奖" * 301}, "奖项名称最多"),
    ("expert", {"name_zh": "周" * 65}, "姓名最多 64 个字符（当前 65 个）"),
    ("expert", {"birth_date": "1980-13-01"}, "出生日期请填写有效的日期，例如 2024-05-01"),
    ("expert", {"email": "zs@"}, "邮箱请填写有效的邮箱地址"),
    ("expert", {"foreign_affairs_years": "1000"}, "涉外工作年限的整数部分最多 3 位"),
    ("expert", {"foreign_affairs_years": "2.55"}, "涉外工作年限最多保留 1 位小数"),
    ("expert", {"gender": "x"}, "性别的选项“x”无效"),
    ("institution", {"city": "石" * 65}, "所在城市最多 64 个字符（当前 65 个）"),
    ("institution", {"website": "example"}, "官方网址请填写有效的网址"),
    ("institution", {"contacts-0-name": ""}, "请填写姓名"),
    ("membership", {"since_year": "abc", "relation": "member", "target_date": ""}, "加入年份请填写整数"),
    ("membership", {"target_date": "明年"}, "计划加入时间请填写有效的日期"),
    ("membership", {"reason": "因" * 2001}, "计划加入理由最多 2000 个字符（当前 2001 个）"),
    ("registration", {"unit_name": ""}, "请填写单位名称"),
    ("registration", {"admin_email": "zhao@"}, "单位管理员邮箱请填写有效的邮箱地址"),
    ("registration", {"admin_name": "赵" * 65}, "单位管理员姓名最多 64 个字符（当前 65 个）"),
    ("registration", {"unit_type": "club"}, "单位类型的选项“club”无效"),
]


def post(kind, overrides, *, unit_client, client, platform_admin):
    if kind == "organization":
        return unit_client.post(reverse("organizations:create"), organization_data(action="save", **overrides))
    if kind == "expert":
        return unit_client.post(reverse("experts:create"), expert_post(**overrides))
    if kind == "institution":
        return unit_client.post(reverse("institutions:create"), institution_data(action="save", **overrides))
    if kind == "membership":
        org = approved_organization(platform_admin, platform_admin)
        url = "organizations:membership_create" if overrides.get("relation") == "member" else "organizations:plan_create"
        return unit_client.post(reverse(url), plan_data(org, **overrides))
    return client.post(reverse("accounts:register"), registration_data(**overrides))


@pytest.mark.parametrize("kind,overrides,expected", CASES, ids=[f"{c[0]}-{next(iter(c[1]))}" for c in CASES])
def test_forms_say_which_field_and_which_limit(kind, overrides, expected, unit_client, client, platform_admin):
    response = post(kind, overrides, unit_client=unit_client, client=client, platform_admin=platform_admin)
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    for phrase in GENERIC:
        assert phrase not in page, phrase


def test_a_services_full_clean_names_the_field_too(unit_user):
    conference = Conference(unit=unit_user.unit, name="会" * 301, year=2025)
    with pytest.raises(ValidationError) as raised:
        conference.full_clean()
    assert raised.value.message_dict["name"] == ["会议名称最多 300 个字符（当前 301 个）。"]
    with pytest.raises(ValidationError) as raised:
        Institution(unit=unit_user.unit, name_zh="", website="nope").full_clean()
    errors = raised.value.message_dict
    assert errors["name_zh"] == ["请填写中文名称。"] and errors["website"][0].startswith("官方网址请填写有效的网址")


def test_the_messages_are_translated(unit_client):
    unit_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = unit_client.post(reverse("organizations:create"), organization_data(action="save", acronym="A" * 40))
    page = response.content.decode()
    assert "can be at most 32 characters (it has 40)." in page
    assert "Ensure this value" not in page
