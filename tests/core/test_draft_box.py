import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iodp.core import workflow_services as wf
from iodp.core.pagination import MergedQuerysets
from iodp.institutions.models import Institution
from iodp.organizations.models import Organization

from ..institutions.test_workflow_services import add_contact, complete_profile

pytestmark = pytest.mark.django_db


def test_draft_box_spans_modules_newest_first_and_hides_other_units(unit_client, unit_user, other_client):
    profile = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    organization = wf.record_save(record=Organization(unit=unit_user.unit, name_zh="测试组织"), by=unit_user)
    page = unit_client.get(reverse("core:drafts")).content.decode()
    assert page.index(organization.get_edit_url()) < page.index(profile.get_edit_url())
    other = other_client.get(reverse("core:drafts")).content.decode()
    assert organization.get_edit_url() not in other and profile.get_edit_url() not in other


def test_draft_box_filters_by_status_and_home_counts_them(unit_client, unit_user, platform_admin):
    profile = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    add_contact(profile)
    profile = wf.record_submit(record=profile, by=unit_user, expected_version=profile.version)
    wf.record_return(record=profile, by=platform_admin, reason="补充")
    wf.record_save(record=Organization(unit=unit_user.unit, name_zh="测试组织"), by=unit_user)
    returned = unit_client.get(reverse("core:drafts"), {"status": "returned"}).content.decode()
    assert profile.get_edit_url() in returned and "测试组织" not in returned
    home = unit_client.get(reverse("core:home")).content.decode()
    assert "被退回" in home and "草稿" in home


def test_review_queue_pages_through_every_module_oldest_first(admin_client_, platform_admin):
    from ..conftest import make_unit_user

    submitted = []
    for i in range(27):
        user = make_unit_user(f"u{i}", f"第{i}号单位", approve_by=platform_admin)
        record = wf.record_save(record=complete_profile(user.unit), by=user)
        add_contact(record)
        submitted.append(wf.record_submit(record=record, by=user, expected_version=record.version))
    first = admin_client_.get(reverse("core:review_queue")).content.decode()
    second = admin_client_.get(reverse("core:review_queue"), {"page": 2}).content.decode()
    assert submitted[0].get_absolute_url() + '"' in first and submitted[26].get_absolute_url() + '"' in second
    assert "第 1/2 页，共 27 条" in first
    home = admin_client_.get(reverse("core:home")).content.decode()
    assert "待审核记录" in home


def test_merged_querysets_match_a_full_sort(unit_user, other_unit_user):
    for user in (unit_user, other_unit_user):
        wf.record_save(record=complete_profile(user.unit), by=user)
    querysets = [Institution.objects.filter(unit=unit_user.unit), Institution.objects.filter(unit=other_unit_user.unit)]
    merged = MergedQuerysets(querysets, order_field="updated_at", descending=True)
    everything = sorted(Institution.objects.all(), key=lambda r: (r.updated_at, r.pk), reverse=True)
    assert merged.count() == 2 and list(merged[0:2]) == everything and merged[1] == everything[1]


def _organizations_at(unit, count: int, start: datetime.datetime, *, step_minutes: int, prefix: str):
    rows = Organization.objects.bulk_create([Organization(unit=unit, name_zh=f"{prefix}{i}") for i in range(count)])
    for i, row in enumerate(rows):
        Organization.objects.filter(pk=row.pk).update(updated_at=start + datetime.timedelta(minutes=step_minutes * i))
    return rows


def test_a_merged_page_is_read_from_the_database_page_by_page(unit_user, other_unit_user):
    start = timezone.now() - datetime.timedelta(days=1)
    _organizations_at(unit_user.unit, 40, start, step_minutes=2, prefix="甲")
    _organizations_at(other_unit_user.unit, 40, start, step_minutes=3, prefix="乙")  # some times tie with 甲's
    Institution.objects.create(unit=unit_user.unit)
    querysets = [Organization.objects.filter(unit=unit_user.unit), Institution.objects.all(),
                 Organization.objects.filter(unit=other_unit_user.unit)]
    merged = MergedQuerysets(querysets, order_field="updated_at", descending=True)
    everything = sorted([*Organization.objects.all(), *Institution.objects.all()],
                        key=lambda r: (r.updated_at, r.pk, 2 if isinstance(r, Organization) and r.unit_id
                                       == other_unit_user.unit_id else 1 if isinstance(r, Institution) else 0),
                        reverse=True)
    paginator = Paginator(merged, 25)
    assert paginator.count == 81 and paginator.num_pages == 4
    counts = []
    for number in (1, 2, 4):
        with CaptureQueriesContext(connection) as queries:
            rows = list(paginator.page(number))
        counts.append(len(queries.captured_queries))
        assert [(type(r), r.pk) for r in rows] == [(type(r), r.pk) for r in everything[(number - 1) * 25:number * 25]]
    assert max(counts) <= 1 + len(querysets)  # the page's keys, then each model's rows on it


def test_the_review_queue_costs_the_same_on_every_page(admin_client_, unit_user, platform_admin):
    Organization.objects.bulk_create([Organization(unit=unit_user.unit, name_zh=f"待审{i}", status="submitted",
                                                   submitted_at=timezone.now()) for i in range(80)])
    counts = []
    for number in (1, 2, 4):
        with CaptureQueriesContext(connection) as queries:
            page = admin_client_.get(reverse("core:review_queue"), {"page": number}).content.decode()
        counts.append(len(queries.captured_queries))
        assert f"第 {number}/4 页，共 80 条" in page
    assert counts[0] == counts[1] == counts[2]
