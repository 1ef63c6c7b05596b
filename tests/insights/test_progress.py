"""填报进度 services against a hand-built world whose figures are known (see `progress_world`)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iodp.core import clock
from iodp.core.models import ChangeLog
from iodp.insights import progress
from iodp.insights.models import ReportingCampaign

from ..conftest import make_unit_user
from ..organizations.factories import draft_organization
from .conftest import campaign

TODAY = clock.today()


def rows_by_unit(rows):
    return {row.unit.pk: row for row in rows}


def test_one_row_per_approved_unit_with_counts(progress_world):
    w = progress_world
    rows = rows_by_unit(progress.unit_progress(campaign(w.admin)))
    assert set(rows) == {w.a.pk, w.b.pk, w.late.pk, w.idle.pk}  # the pending unit is not listed
    assert rows[w.a.pk].counts["organizations"] == {"draft": 1, "submitted": 0, "approved": 0, "returned": 0}
    assert rows[w.b.pk].counts["organizations"] == {"draft": 0, "submitted": 0, "approved": 0, "returned": 1}
    assert rows[w.late.pk].counts["organizations"] == {"draft": 0, "submitted": 0, "approved": 1, "returned": 0}
    assert rows[w.idle.pk].counts["organizations"] == {"draft": 0, "submitted": 0, "approved": 0, "returned": 0}
    assert [row.submitted_anything for row in (rows[w.a.pk], rows[w.b.pk], rows[w.late.pk], rows[w.idle.pk])] == [
        False, False, True, False]
    assert rows[w.idle.pk].completeness == 0
    # last activity: the newest change-log entry of the unit
    newest = ChangeLog.objects.filter(unit=w.a).order_by("-at").first().at
    assert rows[w.a.pk].last_activity == newest


def test_overdue_only_after_the_deadline(progress_world, monkeypatch):
    w = progress_world
    current = campaign(w.admin, deadline_in_days=5)
    assert not any(row.overdue for row in progress.unit_progress(current))
    monkeypatch.setattr(clock, "today", lambda: TODAY + datetime.timedelta(days=6))
    rows = rows_by_unit(progress.unit_progress(current))
    # 丙 submitted after the campaign start (and, as seen from here, it would be late but not overdue)
    assert {pk for pk, row in rows.items() if row.overdue} == {w.a.pk, w.b.pk, w.idle.pk}
    assert rows[w.late.pk].submitted_in_campaign


def test_a_unit_that_submitted_after_the_deadline_is_not_overdue(progress_world):
    w = progress_world
    past = progress.campaign_create(by=w.admin, name="已截止", starts_on=TODAY - datetime.timedelta(days=10),
                                    deadline=TODAY - datetime.timedelta(days=1))
    rows = rows_by_unit(progress.unit_progress(past))  # 丙 submitted today, after the deadline
    assert not rows[w.late.pk].overdue and rows[w.idle.pk].overdue and rows[w.a.pk].overdue


def test_a_submission_before_the_campaign_start_does_not_count(progress_world, monkeypatch):
    w = progress_world
    later = progress.campaign_create(by=w.admin, name="下一轮", starts_on=TODAY + datetime.timedelta(days=1),
                                     deadline=TODAY + datetime.timedelta(days=2))
    monkeypatch.setattr(clock, "today", lambda: TODAY + datetime.timedelta(days=3))
    rows = rows_by_unit(progress.unit_progress(later))
    assert rows[w.late.pk].overdue and rows[w.late.pk].submitted_anything


def test_filters(progress_world):
    w = progress_world
    rows = progress.unit_progress(campaign(w.admin))
    assert {row.unit.pk for row in progress.filter_rows(rows, nothing_submitted=True)} == {w.a.pk, w.b.pk, w.idle.pk}
    assert {row.unit.pk for row in progress.filter_rows(rows, unit_type="national_society")} == {w.b.pk, w.idle.pk}
    assert progress.filter_rows(rows, overdue=True) == []
    assert [row.unit.pk for row in progress.unit_progress(campaign_of(w), units=[w.a])] == [w.a.pk]


def campaign_of(w):
    return progress.active_campaign()


def test_constant_number_of_queries(platform_admin, unit_user, other_unit_user):
    current = campaign(platform_admin)
    with CaptureQueriesContext(connection) as two:
        assert len(progress.unit_progress(current)) == 2
    for number in range(4):
        user = make_unit_user(f"extra{number}", f"第{number}学会", approve_by=platform_admin)
        draft_organization(user, name_zh=f"组织{number}", name_en=f"Organization X{number}", acronym=f"X{number}")
    with CaptureQueriesContext(connection) as six:
        assert len(progress.unit_progress(current)) == 6
    assert len(six) == len(two) <= 8


def test_campaign_lifecycle(platform_admin, unit_user):
    first = campaign(platform_admin)
    assert progress.active_campaign() == first
    with pytest.raises(ValidationError, match="同一时间只能有一个进行中的填报"):
        campaign(platform_admin, name="第二个")
    with pytest.raises(PermissionDenied):
        campaign(unit_user)
    with pytest.raises(ValidationError):
        progress.campaign_update(campaign=first, by=platform_admin, deadline=TODAY - datetime.timedelta(days=30))
    first.refresh_from_db()
    progress.campaign_update(campaign=first, by=platform_admin, name="2023年填报")
    progress.campaign_close(campaign=first, by=platform_admin)
    assert progress.active_campaign() is None
    second = campaign(platform_admin, name="第二个")
    assert ReportingCampaign.objects.filter(is_active=True).get() == second
    actions = list(ChangeLog.objects.filter(object_id=first.pk, object_repr="2023年填报").values_list(
        "action", flat=True))
    assert sorted(actions) == ["save", "suspend"]
