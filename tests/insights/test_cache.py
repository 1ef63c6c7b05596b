"""The dashboard reuses its figures only while nothing new is logged: an approval shows at once."""

from django.urls import reverse

from iodp.core import workflow_services as wf
from iodp.core.workflow import RecordStatus
from iodp.organizations.models import Membership


def test_a_new_approval_changes_the_figures_at_once(world, admin_client_, platform_admin):
    assert admin_client_.get(reverse("insights:home")).context["figures"]["joined"] == 3
    assert admin_client_.get(reverse("insights:home")).context["figures"]["joined"] == 3  # from the cache
    pending = Membership.objects.get(organization=world.o6, unit=world.b.unit, status=RecordStatus.SUBMITTED)
    wf.record_approve(record=pending, by=platform_admin)
    assert admin_client_.get(reverse("insights:home")).context["figures"]["joined"] == 4


def test_a_repeated_dashboard_is_served_from_the_cache(world, admin_client_, django_assert_max_num_queries):
    admin_client_.get(reverse("insights:home"))
    with django_assert_max_num_queries(8):  # session, user, the newest ChangeLog id: none of the 13 figures' queries
        assert admin_client_.get(reverse("insights:home")).status_code == 200


def test_scopes_do_not_share_cached_figures(world, admin_client_):
    assert admin_client_.get(reverse("insights:home")).context["figures"]["joined"] == 3
    assert admin_client_.get(reverse("insights:home"), {"unit": world.a.unit.pk}).context["figures"]["joined"] == 2
    assert admin_client_.get(reverse("insights:home"), {"include_submitted": "on"}).context["figures"][
        "leadership_posts"] == 3
    assert admin_client_.get(reverse("insights:home"), {"as_of": "2019-06-01"}).context["figures"]["posts"] == 0


def test_actions_that_change_no_figure_keep_the_cached_figures(world, admin_client_, platform_admin, unit_user,
                                                                django_assert_max_num_queries):
    """A notice's 发布 and 签收, and a unit's 核对 of an organization, are logged but count nowhere: the figures
    computed before them are reused; the next approval is counted at once."""
    from iodp.notices import services as notices
    from iodp.organizations import services as organizations

    notice = notices.notice_save(by=platform_admin, title="关于填报的通知", body="请按时填报。")
    admin_client_.get(reverse("insights:home"))
    notices.notice_publish(notice=notice, by=platform_admin)
    notices.notice_acknowledge(notice=notice, by=unit_user)
    organizations.organization_verify(organization=world.o1, by=unit_user)
    with django_assert_max_num_queries(8):
        assert admin_client_.get(reverse("insights:home")).context["figures"]["joined"] == 3
    pending = Membership.objects.get(organization=world.o6, unit=world.b.unit, status=RecordStatus.SUBMITTED)
    wf.record_approve(record=pending, by=platform_admin)
    assert admin_client_.get(reverse("insights:home")).context["figures"]["joined"] == 4


def test_an_approval_has_the_dashboard_computed_ahead(world, admin_client_, platform_admin,
                                                       django_capture_on_commit_callbacks,
                                                       django_assert_max_num_queries):
    """Once an approval commits, the background job (run at once by the tests' task backend) computes the whole
    platform's figures into the shared cache: the platform admin's next visit only reads them."""
    pending = Membership.objects.get(organization=world.o6, unit=world.b.unit, status=RecordStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        wf.record_approve(record=pending, by=platform_admin)
    assert callbacks  # the job was queued on commit
    with django_assert_max_num_queries(8):  # session, user, the newest ChangeLog id: none of the figures' queries
        assert admin_client_.get(reverse("insights:home")).context["figures"]["joined"] == 4


def test_a_saved_draft_queues_no_dashboard_job(world, unit_user, platform_admin, django_capture_on_commit_callbacks):
    from iodp.insights.tasks import warm_dashboard

    from ..organizations.factories import draft_organization

    with django_capture_on_commit_callbacks() as saved:
        draft = draft_organization(unit_user, name_zh="草稿组织", name_en="Draft Organization", acronym="DO")
    assert warm_dashboard.enqueue not in saved
    submitted = wf.record_submit(record=draft, by=unit_user, expected_version=draft.version)
    with django_capture_on_commit_callbacks() as approved:
        wf.record_approve(record=submitted, by=platform_admin)
    assert warm_dashboard.enqueue in approved
