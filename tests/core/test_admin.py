"""The Django admin changelists the benchmarks compare the platform's lists with: a superuser opens and searches
each; they are read-only, since records change only through the workflow services."""

import pytest
from django.test import Client

from iodp.accounts.models import Role, User
from iodp.experts.models import Expert, Position
from iodp.organizations.models import Membership, Organization

from ..conftest import PASSWORD

CHANGELISTS = ["/django-admin/organizations/organization/", "/django-admin/organizations/membership/",
               "/django-admin/experts/expert/", "/django-admin/experts/position/"]


@pytest.fixture
def superuser_client(db):
    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.PLATFORM_ADMIN, is_staff=True,
                                    is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(unit_user):
    org = Organization.objects.create(name_zh="国际纯粹与应用化学联合会", name_en="International Union of Pure and "
                                      "Applied Chemistry", acronym="IUPAC", status="approved")
    Membership.objects.create(organization=org, unit=unit_user.unit, relation="member", status="approved")
    expert = Expert.objects.create(name_zh="王伟", unit=unit_user.unit, status="approved", id_type="passport",
                                   id_number="E12345678")
    Position.objects.create(expert=expert, organization=org, post_title="Vice-President", role="vice_president",
                            level="leadership")
    return org


@pytest.mark.parametrize(("url", "shown"), list(zip(CHANGELISTS, ["IUPAC", "甲省科学技术协会", "王伟", "Vice-President"],
                                                       strict=True)))
def test_a_superuser_opens_each_changelist(superuser_client, records, url, shown):
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert shown in response.content.decode()


@pytest.mark.parametrize(("url", "query", "shown"), [
    (CHANGELISTS[0], "IUPAC", "国际纯粹与应用化学联合会"),
    (CHANGELISTS[1], "纯粹与应用化学", "甲省科学技术协会"),
    (CHANGELISTS[2], "wangwei", "王伟"),
    (CHANGELISTS[3], "IUPAC", "Vice-President"),
])
def test_changelist_search(superuser_client, records, url, query, shown):
    response = superuser_client.get(url, {"q": query})
    assert response.status_code == 200
    assert shown in response.content.decode()


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelists_are_read_only(superuser_client, records, url):
    assert superuser_client.get(url + "add/").status_code == 403


def test_expert_changelist_shows_no_id_number(superuser_client, records):
    assert "E12345678" not in superuser_client.get(CHANGELISTS[2]).content.decode()


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelists_are_for_superusers_only(client, unit_user, records, url):
    """Anonymous users and unit admins are sent to the admin's login; nothing of the table is shown."""
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    unit = Client()
    unit.force_login(unit_user)
    response = unit.get(url)
    assert response.status_code == 302 and "/login/" in response.url
