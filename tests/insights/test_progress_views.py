"""填报进度 and 填报管理 pages: who sees what, the filters, the export and the home panels."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from iodp.core import clock
from iodp.insights import progress
from iodp.insights.models import ReportingCampaign

from .conftest import TODAY, campaign


@pytest.fixture
def active(progress_world):
    return campaign(progress_world.admin, deadline_in_days=5)


def names(response):
    return [row.unit.name for row in response.context["rows"]]


def test_admin_sees_every_approved_unit_and_filters(admin_client_, progress_world, active):
    response = admin_client_.get(reverse("insights:progress"))
    assert sorted(names(response)) == sorted(["甲省科学技术协会", "乙学会", "丙省科学技术协会", "丁学会"])
    response = admin_client_.get(reverse("insights:progress"), {"nothing_submitted": "on"})
    assert "未提交任何数据" in response.text
    assert sorted(names(response)) == sorted(["甲省科学技术协会", "乙学会", "丁学会"])
    response = admin_client_.get(reverse("insights:progress"), {"unit_type": "national_society"})
    assert sorted(names(response)) == sorted(["乙学会", "丁学会"])
    assert names(admin_client_.get(reverse("insights:progress"), {"overdue": "on"})) == []


def test_a_unit_sees_only_its_own_row(unit_client, other_unit_user, active):
    response = unit_client.get(reverse("insights:progress"), {"unit": other_unit_user.unit_id,
                                                                "unit_type": "national_society"})
    assert names(response) == ["甲省科学技术协会"]
    assert "乙学会" not in response.text
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(
        unit_client.get(reverse("insights:progress_export"), {"unit": other_unit_user.unit_id}).streaming_content)))
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "甲省科学技术协会" in cells and "乙学会" not in cells


def test_anonymous_is_sent_to_login(client, db):
    for name in ("insights:progress", "insights:progress_export", "insights:campaigns", "insights:campaign_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_unit_cannot_manage_campaigns(unit_client, active):
    for name in ("insights:campaigns", "insights:campaign_create", "insights:campaign_edit"):
        assert unit_client.get(reverse(name)).status_code == 403
    assert unit_client.post(reverse("insights:campaign_close")).status_code == 403
    assert ReportingCampaign.objects.get().is_active


def test_export_of_the_filtered_table(admin_client_, progress_world, active):
    response = admin_client_.get(reverse("insights:progress_export"), {"nothing_submitted": "on"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "填报单位")
    body = [row for row in rows[rows.index(header) + 1:] if row and row[0]]
    assert sorted(row[0] for row in body) == sorted(["甲省科学技术协会", "乙学会", "丁学会"])
    returned = header.index("国际组织·已退回")
    assert {row[0]: row[returned] for row in body}["乙学会"] == 1


def test_admin_creates_edits_and_closes_a_campaign(admin_client_, platform_admin):
    response = admin_client_.post(reverse("insights:campaign_create"), {
        "name": "2022年国际组织数据填报", "starts_on": "2022-09-01", "deadline": "2022-09-30", "notes": ""})
    assert response.status_code == 302
    response = admin_client_.post(reverse("insights:campaign_create"), {
        "name": "又一个", "starts_on": "2022-09-01", "deadline": "2022-09-30", "notes": ""})
    assert "同一时间只能有一个进行中的填报" in response.text
    admin_client_.post(reverse("insights:campaign_edit"), {
        "name": "2022年填报", "starts_on": "2022-09-01", "deadline": "2022-10-31", "notes": "延期"})
    assert progress.active_campaign().deadline == datetime.date(2022, 10, 31)
    assert "2022年填报" in admin_client_.get(reverse("insights:campaigns")).text
    admin_client_.post(reverse("insights:campaign_close"))
    assert progress.active_campaign() is None


def test_home_panels(admin_client_, unit_client, progress_world, active, monkeypatch):
    home = reverse("core:home")
    text = unit_client.get(home).text
    assert "2022年国际组织数据填报" in text and "还剩 5 天" in text and (TODAY + datetime.timedelta(days=5)).isoformat() in text
    assert "已提交数据的单位 1 个，尚未提交 3 个" in admin_client_.get(home).text
    monkeypatch.setattr(clock, "today", lambda: TODAY + datetime.timedelta(days=6))
    assert "已逾期" in unit_client.get(home).text


def test_no_panel_without_an_active_campaign(unit_client):
    assert "campaign-panel" not in unit_client.get(reverse("core:home")).text


def test_every_units_rows_are_reused_until_a_change_is_logged(admin_client_, progress_world, active, unit_user,
                                                                django_assert_max_num_queries):
    """The 填报进度 page and the admin's home panel count every unit's records once, then reuse the rows while
    nothing new is logged; 甲 submitting its draft shows at once."""
    from iodp.core import workflow_services as wf
    from iodp.organizations.models import Organization

    assert "未提交任何数据" in admin_client_.get(reverse("insights:progress")).text
    with django_assert_max_num_queries(6):  # session, user, campaign, newest ChangeLog id: no module counted
        rows = admin_client_.get(reverse("insights:progress")).context["rows"]
    assert {row.unit.name: row.submitted_anything for row in rows}["甲省科学技术协会"] is False
    assert "已提交数据的单位 1 个，尚未提交 3 个" in admin_client_.get(reverse("core:home")).text
    draft = Organization.objects.get(name_zh="甲的组织")
    wf.record_submit(record=draft, by=unit_user, expected_version=draft.version)
    rows = admin_client_.get(reverse("insights:progress")).context["rows"]
    row = {row.unit.name: row for row in rows}["甲省科学技术协会"]
    assert row.submitted_anything and row.counts["organizations"]["submitted"] == 1
    assert "已提交数据的单位 2 个，尚未提交 2 个" in admin_client_.get(reverse("core:home")).text


def test_a_units_pending_count_links_to_its_submissions_in_the_review_queue(admin_client_, progress_world, active,
                                                                            unit_user, other_unit_user, unit_client):
    """待审核 counts on 填报进度 lead the platform admin to the review queue narrowed to that unit and module."""
    from iodp.core import workflow_services as wf
    from iodp.organizations.models import Organization

    from ..organizations.factories import draft_organization

    draft = Organization.objects.get(name_zh="甲的组织")
    wf.record_submit(record=draft, by=unit_user, expected_version=draft.version)
    other = draft_organization(other_unit_user, name_zh="乙的第二个组织", name_en="Organization B2", acronym="OB2")
    wf.record_submit(record=other, by=other_unit_user, expected_version=other.version)
    page = admin_client_.get(reverse("insights:progress")).text
    link = f'{reverse("core:review_queue")}?kind=organizations.organization&amp;unit={progress_world.a.pk}'
    assert link in page
    queue = admin_client_.get(reverse("core:review_queue"),
                              {"kind": "organizations.organization", "unit": progress_world.a.pk})
    assert [str(row) for row in queue.context["page"]] == ["甲的组织（OA）"]
    assert "只看 甲省科学技术协会 提交的记录" in queue.text
    everyone = admin_client_.get(reverse("core:review_queue"), {"kind": "organizations.organization"})
    assert sorted(str(row) for row in everyone.context["page"]) == ["乙的第二个组织（OB2）", "甲的组织（OA）"]
    # A unit's own progress row has no review links; the queue itself is the platform admin's.
    assert "progress-review-link" not in unit_client.get(reverse("insights:progress")).text
    assert unit_client.get(reverse("core:review_queue"), {"unit": progress_world.a.pk}).status_code == 404
