"""会费币种 on organizations and memberships: picked from a list or typed as name or code, stored as the code."""

import pytest
from django.urls import reverse

from iodp.organizations.forms import MembershipEditForm, OrganizationForm
from iodp.organizations.models import Membership, Organization

from .factories import approved_organization
from .test_validation import basic_data

pytestmark = pytest.mark.django_db
HINT = "请选择或输入币种，例如 欧元 EUR"


@pytest.mark.parametrize("typed", ["EUR", "eur", "欧元", "欧元 EUR"])
def test_the_organization_form_accepts_name_or_code_and_stores_the_code(typed):
    form = OrganizationForm(basic_data(dues_currency=typed), instance=Organization())
    assert form.is_valid(), form.errors
    assert form.save(commit=False).dues_currency == "EUR"


def test_garbage_gets_a_clear_chinese_message():
    form = OrganizationForm(basic_data(dues_currency="欧圆圆"), instance=Organization())
    assert not form.is_valid()
    assert HINT in form.errors["dues_currency"][0]


def test_the_form_offers_a_searchable_list_of_currencies(unit_client):
    page = unit_client.get(reverse("organizations:create")).content.decode()
    assert 'list="id_dues_currency_options"' in page
    assert '<datalist id="id_dues_currency_options">' in page
    for label in ["欧元 EUR", "美元 USD", "瑞士法郎 CHF", "英镑 GBP", "人民币 CNY"]:
        assert f'<option value="{label}">' in page, label


def test_editing_shows_the_stored_code_with_its_name(unit_user, platform_admin):
    org = approved_organization(platform_admin, platform_admin, dues_amount=100, dues_currency="CHF")
    form = OrganizationForm(instance=org)
    assert 'value="瑞士法郎 CHF"' in str(form["dues_currency"])
    unchanged = OrganizationForm(basic_data(dues_currency="瑞士法郎 CHF"), instance=org,
                                 initial={"dues_currency": "CHF"})
    assert "dues_currency" not in unchanged.changed_data


def test_the_detail_page_shows_the_currency_name(unit_client, unit_user, platform_admin):
    org = approved_organization(platform_admin, platform_admin, dues_payer="中国化学会", dues_amount=12000,
                                dues_currency="EUR")
    page = unit_client.get(org.get_absolute_url()).content.decode()
    assert "12000.00 欧元（EUR）" in page


def test_a_membership_accepts_the_chinese_name_and_lists_show_it(unit_client, unit_user, platform_admin):
    org = approved_organization(platform_admin, platform_admin)
    response = unit_client.post(reverse("organizations:membership_create"), {
        "organization": org.pk, "relation": "member", "form": "institutional", "since_year": "2020",
        "dues_amount": "500", "dues_currency": "欧元", "target_date": "", "reason": "", "notes": "", "action": "save"})
    assert response.status_code == 302, response.context["form"].errors
    assert Membership.objects.get().dues_currency == "EUR"
    assert "500.00 欧元（EUR）" in unit_client.get(reverse("organizations:membership_list")).content.decode()
    assert "会费 500.00 欧元（EUR）" in unit_client.get(org.get_absolute_url()).content.decode()


def test_a_membership_with_garbage_currency_is_refused(unit_user):
    form = MembershipEditForm({"relation": "member", "form": "institutional", "dues_amount": "5",
                               "dues_currency": "dollars?"}, user=unit_user)
    form.is_valid()
    assert HINT in form.errors["dues_currency"][0]
