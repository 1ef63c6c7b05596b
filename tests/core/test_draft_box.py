import pytest
from django.urls import reverse

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
