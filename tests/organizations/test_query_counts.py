"""An organization's page runs a constant number of queries, however many positions, conferences and
memberships it has (no query per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iodp.experts.models import Position
from iodp.organizations.models import Conference
from iodp.reference.models import Country
from tests.conftest import logged_in, make_unit_user
from tests.experts.conftest import make_expert

from .factories import approved_membership, approved_organization

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def _add_rows(organization, user, n: int):
    """`n` positions (each of its own expert), conferences in `n` countries."""
    countries = list(Country.objects.order_by("pk")[:n])
    for i in range(n):
        expert = make_expert(user, id_type="passport", id_number=f"E{i:07d}",
                             name_zh=f"专家{i}", email=f"e{i}@example.cn")
        Position.objects.create(expert=expert, organization=organization, role="executive_member",
                                level="leadership", term_start=datetime.date(2020, 1, 1), status="current")
        Conference.objects.create(organization=organization, name=f"第{i}届大会", year=2000 + i % 25,
                                  country=countries[i % len(countries)], city="Geneva")


def _queries_of_detail_page(client, organization) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organizations:detail", args=[organization.pk]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["platform_admin", "unit_user"])
def test_detail_page_query_count_does_not_grow_with_rows(who, request, unit_user, platform_admin):
    organization = approved_organization(unit_user, platform_admin)
    approved_membership(unit_user, platform_admin, organization)
    client = logged_in(request.getfixturevalue(who))
    _add_rows(organization, unit_user, 1)
    with_one = _queries_of_detail_page(client, organization)
    _add_rows(organization, unit_user, 49)
    for i in range(3):
        other = make_unit_user(f"unit_m{i}", f"第{i}会员学会", approve_by=platform_admin)
        approved_membership(other, platform_admin, organization)
    with_fifty = _queries_of_detail_page(client, organization)
    assert with_one == with_fifty
    assert with_fifty <= MAX_QUERIES
