"""删除草稿 (discard a draft, a returned record or an open revision) and 修改 that writes nothing until 保存."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from iodp.core import workflow_services as wf
from iodp.core.models import ChangeAction, ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.institutions.models import Institution, InstitutionContact
from iodp.organizations.models import Membership, Organization

from ..experts.conftest import make_expert
from ..institutions.test_views import form_data
from ..institutions.test_workflow_services import complete_profile, submitted_profile
from ..organizations.factories import approved_organization, draft_organization, saved_membership

pytestmark = pytest.mark.django_db

INSTITUTION = "institutions.institution"


def discard_url(record, label=INSTITUTION):
    return reverse("core:record_action", args=[label, record.pk, "discard"])


def revise_url(record, label=INSTITUTION):
    return reverse("core:record_action", args=[label, record.pk, "revise"])


def approved_profile(user, admin) -> Institution:
    return wf.record_approve(record=submitted_profile(user), by=admin)


def logged_for(record) -> list[str]:
    return list(wf.record_history(record).values_list("action", flat=True))


# --- the service, state by state ----------------------------------------------------------------------------

def test_discard_a_draft_keeps_its_log_and_records_the_discard(unit_user):
    draft = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    InstitutionContact.objects.create(institution=draft, name="李联系")
    pk = draft.pk
    wf.record_discard(record=draft, by=unit_user, expected_version=draft.version)
    assert not Institution.objects.filter(pk=pk).exists()
    assert not InstitutionContact.objects.filter(institution_id=pk).exists()  # its child rows go with it
    entries = ChangeLog.objects.filter(object_id=pk, content_type__model="institution")
    assert list(entries.values_list("action", flat=True)) == [ChangeAction.DISCARD, ChangeAction.CREATE]
    assert entries.first().actor == unit_user and entries.first().comment == "删除草稿"


def test_discard_a_returned_record(unit_user, platform_admin):
    record = wf.record_return(record=submitted_profile(unit_user), by=platform_admin, reason="补充材料")
    wf.record_discard(record=record, by=unit_user, expected_version=record.version)
    assert not Institution.objects.exists()


def test_a_submitted_or_approved_record_cannot_be_discarded(unit_user, platform_admin):
    submitted = submitted_profile(unit_user)
    with pytest.raises(ValidationError, match="正在审核中，不能删除"):
        wf.record_discard(record=submitted, by=unit_user, expected_version=submitted.version)
    approved = wf.record_approve(record=submitted, by=platform_admin)
    with pytest.raises(ValidationError, match="已审核通过的记录不能删除"):
        wf.record_discard(record=approved, by=unit_user, expected_version=approved.version)
    assert Institution.objects.get().status == RecordStatus.APPROVED


def test_discard_an_open_revision_leaves_the_official_record_untouched(unit_user, platform_admin):
    official = approved_profile(unit_user, platform_admin)
    revision = wf.record_start_revision(record=official, by=unit_user)
    revision.city = "上海"
    revision = wf.record_save(record=revision, by=unit_user, expected_version=revision.version)
    before = official.snapshot()
    wf.record_discard(record=revision, by=unit_user, expected_version=revision.version)
    official.refresh_from_db()
    assert official.snapshot() == before and official.status == RecordStatus.APPROVED
    assert [c.name for c in official.contacts.all()] == ["李联系"]
    assert not official.revisions.exists()
    history = list(wf.record_history(official))  # the revision's log stays in the official record's history
    assert [e.action for e in history[:3]] == [ChangeAction.DISCARD, ChangeAction.SAVE, ChangeAction.REVISE]
    assert history[0].comment == "放弃修订，原记录保持不变"


def test_only_the_owner_discards_and_with_the_version_it_loaded(unit_user, other_unit_user):
    draft = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    with pytest.raises(PermissionDenied):
        wf.record_discard(record=draft, by=other_unit_user, expected_version=draft.version)
    with pytest.raises(wf.RecordConflict):
        wf.record_discard(record=draft, by=unit_user, expected_version=draft.version - 1)
    with pytest.raises(wf.MissingVersion):
        wf.record_discard(record=draft, by=unit_user, expected_version=None)
    assert Institution.objects.filter(pk=draft.pk).exists()


def test_a_draft_organization_still_in_use_is_not_discarded_and_says_by_what(unit_user, platform_admin):
    organization = draft_organization(unit_user)
    saved_membership(unit_user, organization, relation="planned")
    with pytest.raises(ValidationError, match="甲省科学技术协会的会员关系（计划加入）") as error:
        wf.record_discard(record=organization, by=unit_user, expected_version=organization.version)
    assert "仍被以下记录使用，不能删除" in error.value.messages[0]
    Membership.objects.all().delete()
    make_expert(unit_user, organization=organization)
    with pytest.raises(ValidationError, match="专家“周建华”的任职"):
        wf.record_discard(record=organization, by=unit_user, expected_version=organization.version)
    assert Organization.objects.filter(pk=organization.pk).exists()
    assert not ChangeLog.objects.filter(action=ChangeAction.DISCARD).exists()


# --- the view -------------------------------------------------------------------------------------------------

def test_discard_from_the_draft_box(unit_client, unit_user):
    draft = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    page = unit_client.get(reverse("core:drafts")).content.decode()
    assert f'action="{discard_url(draft)}"' in page and "data-confirm=" in page and "删除草稿" in page
    response = unit_client.post(discard_url(draft), {"version": draft.version}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:drafts")
    assert "已删除草稿" in response.content.decode() and not Institution.objects.exists()


def test_discard_view_is_post_only_and_needs_csrf_and_the_owner(client, unit_user, other_client):
    draft = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    owner = Client(enforce_csrf_checks=True)
    owner.force_login(unit_user)
    assert owner.get(discard_url(draft)).status_code == 404
    assert owner.post(discard_url(draft), {"version": draft.version}).status_code == 403  # no CSRF token
    assert other_client.post(discard_url(draft), {"version": draft.version}).status_code == 404
    response = client.post(discard_url(draft), {"version": draft.version})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert Institution.objects.filter(pk=draft.pk).exists()


def test_discard_view_refuses_submitted_records_and_stale_pages(unit_client, unit_user):
    submitted = submitted_profile(unit_user)
    response = unit_client.post(discard_url(submitted), {"version": submitted.version}, follow=True)
    assert "正在审核中，不能删除" in response.content.decode()
    draft_user_record = Institution.objects.get()
    assert draft_user_record.status == RecordStatus.SUBMITTED


def test_discarding_a_revision_from_the_page_returns_to_the_official_record(unit_client, unit_user,
                                                                            platform_admin):
    official = approved_profile(unit_user, platform_admin)
    revision = wf.record_start_revision(record=official, by=unit_user)
    page = unit_client.get(reverse("core:drafts")).content.decode()
    assert f'action="{discard_url(revision)}"' in page
    response = unit_client.post(discard_url(revision), {"version": revision.version})
    assert response.url == official.get_absolute_url()
    assert Institution.objects.get() == official


# --- 修改 writes nothing until 保存 ----------------------------------------------------------------------------

def revision_form(official, **overrides):
    contact = official.contacts.get()
    data = form_data(version=official.version, revise="1", name_zh=official.name_zh, province=official.province_id,
                     city=official.city, admin_name=official.admin_name, admin_phone="13800138001", **{
                         "contacts-INITIAL_FORMS": "1", "contacts-0-id": contact.pk,
                         "contacts-0-institution": official.pk, "contacts-0-name": contact.name,
                         "contacts-0-phone": "13800138009", "contacts-0-email": "", "contacts-0-role": ""})
    data.update(overrides)
    return data


def test_opening_revise_and_leaving_writes_nothing(unit_client, unit_user, platform_admin):
    official = approved_profile(unit_user, platform_admin)
    entries = ChangeLog.objects.count()
    response = unit_client.post(revise_url(official))
    assert response.status_code == 302 and response.url == official.get_edit_url() + "?revise=1"
    page = unit_client.get(response.url).content.decode()
    assert 'data-testid="revision-mode"' in page and 'name="revise"' in page and "北京" in page
    assert not Institution.objects.filter(revision_of=official).exists()
    assert ChangeLog.objects.count() == entries


def test_saving_in_revision_mode_creates_exactly_one_revision(unit_client, unit_user, platform_admin):
    official = approved_profile(unit_user, platform_admin)
    url = official.get_edit_url() + "?revise=1"
    response = unit_client.post(url, revision_form(official, action="save", city="上海",
                                                   **{"contacts-0-name": "赵新联系"}))
    revision = Institution.objects.get(revision_of=official)
    assert response.status_code == 302 and response.url == revision.get_absolute_url()
    assert revision.status == RecordStatus.DRAFT and revision.city == "上海"
    assert [c.name for c in revision.contacts.all()] == ["赵新联系"]
    official.refresh_from_db()
    assert official.city == "北京" and [c.name for c in official.contacts.all()] == ["李联系"]
    assert logged_for(official)[:2] == [ChangeAction.SAVE, ChangeAction.REVISE]
    # A second 保存 of the same stale page does not create a second revision: it goes to the open one.
    unit_client.post(url, revision_form(official, action="save", city="广州"))
    assert Institution.objects.filter(revision_of=official).count() == 1
    assert unit_client.post(revise_url(official)).url == revision.get_edit_url()


def test_submitting_in_revision_mode_creates_a_submitted_revision(unit_client, unit_user, platform_admin):
    official = approved_profile(unit_user, platform_admin)
    unit_client.post(official.get_edit_url() + "?revise=1", revision_form(official, action="submit", city="天津"))
    revision = Institution.objects.get(revision_of=official)
    assert revision.status == RecordStatus.SUBMITTED and revision.city == "天津"


def test_a_refused_revision_save_writes_nothing_and_keeps_the_input(unit_client, unit_user, platform_admin):
    official = approved_profile(unit_user, platform_admin)
    entries = ChangeLog.objects.count()
    response = unit_client.post(official.get_edit_url() + "?revise=1",
                                revision_form(official, action="submit", city="", unit_type=""))
    page = response.content.decode()
    assert response.status_code == 200 and "提交未成功" in page and 'data-testid="revision-mode"' in page
    assert not Institution.objects.filter(revision_of=official).exists() and ChangeLog.objects.count() == entries


def test_revision_save_checks_the_version_of_the_official_record(unit_client, unit_user, platform_admin):
    official = approved_profile(unit_user, platform_admin)
    response = unit_client.post(official.get_edit_url() + "?revise=1",
                                revision_form(official, action="save", version=official.version - 1))
    assert response.status_code == 200 and "该记录已被他人修改" in response.content.decode()
    assert not Institution.objects.filter(revision_of=official).exists()


def test_revision_mode_is_only_for_who_may_revise(unit_client, other_client, unit_user, platform_admin):
    official = approved_profile(unit_user, platform_admin)
    assert other_client.get(official.get_edit_url() + "?revise=1").status_code == 404
    organization = approved_organization(unit_user, platform_admin)
    edit = reverse("organizations:edit", args=[organization.pk]) + "?revise=1"
    assert unit_client.get(edit).status_code == 404  # units propose changes to the shared registry
    assert not Organization.objects.filter(revision_of=organization).exists()


def test_a_draft_page_offers_discard_but_a_submitted_or_approved_one_does_not(unit_client, unit_user,
                                                                              platform_admin):
    draft = wf.record_save(record=complete_profile(unit_user.unit), by=unit_user)
    page = unit_client.get(draft.get_absolute_url()).content.decode()
    assert f'action="{discard_url(draft)}"' in page and "确定删除草稿" in page
    wf.record_discard(record=draft, by=unit_user, expected_version=draft.version)
    submitted = submitted_profile(unit_user)
    assert discard_url(submitted) not in unit_client.get(submitted.get_absolute_url()).content.decode()
    approved = wf.record_approve(record=submitted, by=platform_admin)
    assert discard_url(approved) not in unit_client.get(approved.get_absolute_url()).content.decode()
