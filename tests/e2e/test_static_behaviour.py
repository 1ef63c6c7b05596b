"""Behaviour that moved out of inline code for the Content-Security-Policy still works in a real browser."""

from playwright.sync_api import expect

from iodp.accounts.models import Role, User
from iodp.core import workflow_services as wf
from iodp.organizations.models import Membership

from ..conftest import PASSWORD, make_unit_user
from ..institutions.test_workflow_services import complete_profile
from ..organizations.factories import approved_membership, approved_organization
from .conftest import login


def test_deleting_a_membership_asks_first_and_a_progress_bar_shows_its_width(page):
    admin = User.objects.create_user(username="center", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True)
    unit_user = make_unit_user("unit_e2e", "戊省科学技术协会", approve_by=admin)
    organization = approved_organization(admin, admin)
    membership = approved_membership(unit_user, admin, organization, relation="member")
    institution = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    login(page, "unit_e2e", PASSWORD)

    page.goto(page.base_url + f"/institutions/{institution.pk}/")
    bar = page.locator("[data-testid=completeness] .progress-bar")
    assert bar.evaluate("el => el.style.width") == f"{institution.completeness}%"
    assert bar.bounding_box()["width"] > 0

    page.goto(page.base_url + f"/organizations/memberships/{membership.pk}/")
    delete = page.locator("button", has_text="删除会员关系")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    expect(page.locator("button", has_text="删除会员关系")).to_be_enabled()
    assert Membership.objects.filter(pk=membership.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    page.wait_for_url(lambda url: "/memberships/" not in url)
    assert not Membership.objects.filter(pk=membership.pk).exists()
