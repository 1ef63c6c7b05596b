"""An expert's page runs the same number of queries whatever the number of positions (no query per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iodp.core import clock
from iodp.experts.models import Education, Employment, Position
from iodp.reference.models import Country, Discipline

from .conftest import approved_organization, make_expert

#: queries of one expert's page, seen by its unit: session and user, the expert with its unit, its child rows
#: (one query each), history with its actors, duplicates and the open revision.
DETAIL_PAGE_QUERIES = 12


def expert_with_positions(user, platform_admin, count: int):
    organizations = [approved_organization(name_zh=f"国际组织{count}-{i}", name_en=f"Organization {count}-{i}",
                                           acronym=f"ORG{count}-{i}")
                     for i in range(count)]
    expert = make_expert(user, organization=organizations[0], approve_by=platform_admin)
    Position.objects.bulk_create([
        Position(expert=expert, organization=organization, role="member", level="mid_level",
                 term_start=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
                 term_end=clock.today() + datetime.timedelta(days=100 + i), status="current")
        for i, organization in enumerate(organizations[1:], start=1)])
    china = Country.objects.get(code="CN")
    for i in range(min(count, 5)):
        Education.objects.create(expert=expert, institution=f"大学{i}", country=china,
                                 start=datetime.date(2000 + i, 9, 1))
        Employment.objects.create(expert=expert, institution=f"单位{i}", country=china,
                                  start=datetime.date(2005 + i, 1, 1))
    expert.disciplines.set(Discipline.objects.all()[:count])
    expert.target_organizations.set(organizations[:count])
    return expert


def detail_page_queries(client, expert) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(expert.get_absolute_url())
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("positions", [1, 50])
def test_an_experts_page_runs_a_constant_number_of_queries(unit_client, unit_user, platform_admin, positions):
    expert = expert_with_positions(unit_user, platform_admin, positions)
    queries = detail_page_queries(unit_client, expert)
    assert len(queries) <= DETAIL_PAGE_QUERIES, "\n".join(queries)
    assert f"国际组织{positions}-{positions - 1}".encode() in unit_client.get(expert.get_absolute_url()).content


def test_a_reserve_experts_page_reads_its_targets_in_a_constant_number_of_queries(
        unit_client, unit_user, platform_admin):
    counts = []
    for positions in (1, 50):
        expert = expert_with_positions(unit_user, platform_admin, positions)
        expert.kind = "reserve"
        expert.target_mid_level = True
        expert.save()
        counts.append(len(detail_page_queries(unit_client, expert)))
        Position.objects.filter(expert=expert).update(status="former")
    assert counts[0] == counts[1] <= DETAIL_PAGE_QUERIES + 2  # + its target organizations and disciplines
