"""Every field of an organization is validated, with a clear Chinese message, and nothing typed is lost."""

import datetime

import pytest
from django.urls import reverse

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.organizations.forms import OrganizationDirectoryForm, OrganizationForm
from iodp.organizations.models import Organization
from iodp.reference.models import Country, Discipline

from ..conftest import on_the_day

pytestmark = pytest.mark.django_db
#: the day the parameters below were worked out (at import): every test here runs on it
IMPORTED_ON = clock.today()


@pytest.fixture(autouse=True)
def _on_the_day_of_import():
    with on_the_day(IMPORTED_ON):
        yield


def basic_data(**overrides) -> dict:
    data = {
        "name_zh": "国际纯粹与应用化学联合会", "name_en": "International Union of Pure and Applied Chemistry",
        "acronym": "IUPAC", "disciplines": [Discipline.objects.get(code="150").pk], "nature": "global",
        "category": "core", "hq_country": Country.objects.get(code="US").pk, "hq_city": "Durham",
        "founded_year": "1919", "founded_date": "", "website": "https://iupac.org", "email": "secretariat@iupac.org",
        "phone": "+1 919 485 8700", "address": "", "membership_forms": ["national"], "dues_payer": "中国化学会",
        "dues_amount": "12000.00", "dues_currency": "usd", "dues_period": "annual", "dues_notes": "",
        "special_dues": "", "hk_member": "yes", "hk_name": "Hong Kong Chemical Society", "hk_notes": "",
        "mo_member": "no", "mo_name": "", "mo_notes": "", "tw_member": "", "tw_name": "", "tw_notes": "",
    }
    data.update(overrides)
    return data


def errors_of(**overrides) -> dict:
    form = OrganizationForm(basic_data(**overrides), instance=Organization())
    form.is_valid()
    return form.errors


def test_a_complete_form_is_valid_and_normalised(db):
    form = OrganizationForm(basic_data(), instance=Organization())
    assert form.is_valid(), form.errors
    org = form.save(commit=False)
    assert org.dues_currency == "USD" and org.phone == "+19194858700" and org.membership_forms == ["national"]


@pytest.mark.parametrize("overrides,field,message", [
    ({"founded_year": "1066"}, "founded_year", "年份不能早于 1600 年"),
    ({"founded_year": str(clock.today().year + 1)}, "founded_year", "年份不能晚于今年"),
    ({"founded_year": "abc"}, "founded_year", "整数"),
    ({"founded_date": (clock.today() + datetime.timedelta(days=1)).isoformat()}, "founded_date",
     "日期不能晚于今天"),
    ({"founded_date": "1920-05-01"}, "founded_date", "与成立年份不一致"),
    ({"website": "not a url"}, "website", "官方网址请填写有效的网址"),
    ({"website": "javascript:alert(1)"}, "website", "官方网址请填写有效的网址"),
    ({"email": "secretariat@"}, "email", "请填写有效的邮箱地址"),
    ({"phone": "12345"}, "phone", "请输入有效的电话号码"),
    ({"disciplines": ["999999"]}, "disciplines", "学科代码 999999 不存在"),
    ({"acronym": "A" * 200}, "acronym", "32"),
    ({"acronym": "IUPAC<b>"}, "acronym", "英文缩写只能包含"),
    ({"nature": "galactic"}, "nature", "选择"),
    ({"category": "vip"}, "category", "选择"),
    ({"membership_forms": ["honorary"]}, "membership_forms", "选择"),
    ({"dues_amount": "-5"}, "dues_amount", "会费金额不能为负数"),
    ({"dues_currency": "XYZ"}, "dues_currency", "请选择或输入币种，例如 欧元 EUR"),
    ({"dues_currency": ""}, "dues_currency", "填写会费金额时请填写币种"),
    ({"hk_member": "no"}, "hk_name", "未选择“已加入”时不需要填写加入名称"),
    ({"hq_country": "999999"}, "hq_country", "选择"),
])
def test_bad_values_are_refused_with_a_clear_message(overrides, field, message):
    errors = errors_of(**overrides)
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors[field]


@pytest.mark.parametrize("overrides,field,message", [
    ({"ror_id": "not-a-ror"}, "ror_id", "ROR 编号为 9 位"),
    ({"uia_id": "12"}, "uia_id", "UIA 编号"),
    ({"member_country_count": "500"}, "member_country_count", "300"),
    ({"election_cycle_years": "50"}, "election_cycle_years", "换届周期不能超过 20 年"),
    ({"member_count": "-1"}, "member_count", "0"),
])
def test_bad_directory_values_are_refused(overrides, field, message):
    data = {"ror_id": "", "uia_id": "", "member_count": "", "member_country_count": "", "election_cycle_years": ""}
    data.update(overrides)
    form = OrganizationDirectoryForm(data, instance=Organization(name_zh="甲"))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field]), form.errors


def test_ror_ids_are_accepted_with_or_without_the_url_prefix():
    form = OrganizationDirectoryForm({"ror_id": "https://ror.org/04z8jg394", "uia_id": "xb2012"},
                                     instance=Organization(name_zh="甲"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ror_id"] == "04z8jg394" and form.cleaned_data["uia_id"] == "XB2012"


def test_submit_requires_the_identifying_facts(unit_user):
    record = wf.record_save(record=Organization(unit=unit_user.unit, name_en="Only An English Name"), by=unit_user)
    with pytest.raises(Exception) as error:
        wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    messages = error.value.message_dict
    assert {"name_zh", "disciplines", "nature", "category"} <= set(messages)
    assert messages["disciplines"] == ["所属学科：提交前请填写此项。"]


def test_a_draft_needs_a_name(unit_user):
    with pytest.raises(Exception) as error:
        wf.record_save(record=Organization(unit=unit_user.unit, acronym="X"), by=unit_user)
    assert "保存草稿前请至少填写中文名称或英文名称" in str(error.value)


def test_bad_input_on_the_page_keeps_everything_typed(unit_client, unit_user):
    data = basic_data(website="not a url", founded_year="2999", name_zh="<b>新组织</b>", acronym="NEWORG")
    data.update({"awards-TOTAL_FORMS": "1", "awards-INITIAL_FORMS": "0", "awards-0-name": "金奖",
                 "awards-0-description": "", "awards-0-frequency": "每年", "action": "save"})
    response = unit_client.post(reverse("organizations:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt;b&gt;新组织&lt;/b&gt;" in page and "<b>新组织</b>" not in page
    assert 'value="not a url"' in page and 'value="金奖"' in page and "年份不能晚于今年" in page
    assert not Organization.objects.exists()


def test_html_in_names_is_shown_escaped_on_every_page(unit_client, unit_user):
    from .factories import draft_organization

    org = draft_organization(unit_user, name_zh="<script>alert('x')</script>组织", acronym="XSS")
    for url in (reverse("organizations:detail", args=[org.pk]), reverse("organizations:list"),
                reverse("organizations:edit", args=[org.pk])):
        page = unit_client.get(url).content.decode()
        assert "<script>alert('x')</script>" not in page, url
        assert "&lt;script&gt;" in page, url
