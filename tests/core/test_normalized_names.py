"""Names and codes are stored normalized, whichever way they arrive (model, form, service), and compare equal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iodp.accounts.forms import RegistrationForm
from iodp.accounts.models import Unit
from iodp.experts.models import Expert
from iodp.institutions.models import Institution
from iodp.organizations.forms import OrganizationForm
from iodp.organizations.models import Organization
from iodp.organizations.selectors import organization_search
from iodp.reference.models import Region

from ..conftest import PASSWORD, make_unit_user
from ..organizations.factories import approved_organization, draft_organization
from ..organizations.test_views import form_data

pytestmark = pytest.mark.django_db


def test_an_organization_is_stored_with_its_normalized_names(unit_user):
    org = draft_organization(unit_user, name_zh="国际数学联盟\u200b", name_en="  International   Mathematical Union ",
                             acronym="ＩＭＵ")
    org.refresh_from_db()
    assert (org.name_zh, org.name_en, org.acronym) == ("国际数学联盟", "International Mathematical Union", "IMU")
    assert org.sort_key.startswith("guo2 ji4 shu4 xue2 lian2 meng2")


def test_a_name_set_on_the_instance_reads_back_normalized(db):
    org = Organization(name_zh="  国际   数学联盟 ", acronym="ＩＵＭ")
    assert (org.name_zh, org.acronym) == ("国际 数学联盟", "IUM")


def test_the_organization_form_cleans_names_to_their_normalized_form(unit_user):
    form = OrganizationForm(data=form_data(name_zh="国际数学联盟\u200b", acronym="ＩＵＭ"),
                            instance=Organization(unit=unit_user.unit))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["name_zh"], form.cleaned_data["acronym"]) == ("国际数学联盟", "IUM")


def test_submitting_the_organization_form_stores_the_normalized_name(unit_client):
    response = unit_client.post(reverse("organizations:create"), form_data(
        action="save", name_zh="国际\u200b测试科学联合会\ufeff", acronym="ＩＵＴＳ",
        **{"awards-0-name": "Test\u00a0\u00a0Medal\u200b"}))
    assert response.status_code == 302
    org = Organization.objects.get()
    assert (org.name_zh, org.acronym, org.awards.get().name) == ("国际测试科学联合会", "IUTS", "Test Medal")


def test_a_name_with_an_invisible_character_is_a_duplicate_of_the_registered_one(unit_user, platform_admin):
    approved = approved_organization(platform_admin, platform_admin, name_zh="国际数学联盟",
                                    name_en="International Mathematical Union", acronym="IMU")
    copy = Organization(unit=unit_user.unit, name_zh="国际数学联盟\u200b")
    from iodp.organizations.duplicates import organization_duplicates

    (match,) = organization_duplicates(organization=copy)
    assert match.organization == approved and match.exact


def test_search_with_an_invisible_character_finds_the_organization(unit_user, platform_admin):
    org = approved_organization(platform_admin, platform_admin, name_zh="国际数学联盟",
                                name_en="International Mathematical Union", acronym="IMU")
    for query in ("国际数学联盟\u200b", "国际\u200b数学联盟", "ＩＭＵ", "国际\u3000数学联盟"):
        assert organization_search(query=query, user=unit_user) == [org], query


def test_the_registry_list_search_ignores_invisible_characters(unit_client, platform_admin):
    approved_organization(platform_admin, platform_admin, name_zh="国际数学联盟",
                          name_en="International Mathematical Union", acronym="IMU")
    page = unit_client.get(reverse("organizations:list"), {"q": "国际\u200b数学联盟"}).content.decode()
    assert "国际数学联盟" in page


def test_a_unit_registering_with_an_invisible_character_is_refused_as_a_duplicate(platform_admin):
    make_unit_user("first", "中国数学会")
    form = RegistrationForm(data={
        "unit_type": "national_society", "unit_name": "中国数学会\u200b",
        "province": Region.objects.get(code="110000").pk, "admin_name": "李四", "admin_phone": "13800138000",
        "admin_email": "second@example.cn", "username": "second", "password1": PASSWORD, "password2": PASSWORD})
    assert not form.is_valid()
    assert "该单位名称已注册" in str(form.errors["unit_name"])


def test_the_registration_service_refuses_a_duplicate_unit_name_with_an_invisible_character(platform_admin):
    make_unit_user("first", "中国数学会")
    with pytest.raises(ValidationError):
        make_unit_user("second", "\u3000中国数学会\u200b")
    assert list(Unit.objects.values_list("name", flat=True)) == ["中国数学会"]


def test_institution_and_expert_names_are_stored_normalized(unit_user):
    institution = Institution(unit=unit_user.unit, name_zh="甲省科学技术协会\u200b", name_en="Ａ  Association")
    assert (institution.name_zh, institution.name_en) == ("甲省科学技术协会", "A Association")
    expert = Expert(unit=unit_user.unit, name_zh="张\u200b三", employer="  甲省\u3000科协 ")
    expert.fill_derived_fields()
    assert (expert.name_zh, expert.employer, expert.name_pinyin) == ("张三", "甲省 科协", "zhangsan")


def test_exact_lookups_compare_normalized_names(unit_user):
    draft_organization(unit_user, name_zh="国际数学联盟")
    assert Organization.objects.filter(name_zh="国际数学联盟\u200b").exists()


def test_list_searches_ignore_invisible_characters_in_the_query(unit_user, admin_client_):
    from iodp.experts.selectors import expert_list
    from iodp.institutions.selectors import directory_rows, filter_directory

    from ..experts.conftest import make_expert

    expert = make_expert(unit_user)
    assert [e.pk for e in expert_list(user=unit_user, q="\u200b周建华\u3000")] == [expert.pk]
    assert [u.pk for u in filter_directory(directory_rows(), q="甲省科学技术协会\u200b")] == [unit_user.unit_id]
    page = admin_client_.get(reverse("accounts:unit_list"), {"q": "甲省科学技术协会\u200b"}).content.decode()
    assert "unit_a@example.cn" in page
