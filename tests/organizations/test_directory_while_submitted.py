"""编辑组织名录 after 提交: the directory profile of a submitted organization stays open to its unit until the
review decides, and goes to the reviewer with the same submission; the basic information stays locked."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iodp.core import workflow_services as wf
from iodp.core.models import ChangeAction, ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.organizations.models import Conference, GoverningBody, Organization

from .factories import draft_organization
from .test_views import directory_data, form_data

pytestmark = pytest.mark.django_db


def submitted_organization(user) -> Organization:
    record = draft_organization(user)
    return wf.record_submit(record=record, by=user, expected_version=record.version)


# --- service ---------------------------------------------------------------------------------------------------

def test_directory_fields_of_a_submitted_organization_are_saved_and_it_stays_submitted(unit_user):
    org = submitted_organization(unit_user)
    loaded_at = org.version
    org.aims = "促进化学科学的国际合作"
    org.member_count = 57

    def save_related(saved):
        GoverningBody.objects.create(organization=saved, name="执行委员会", seats=11)
        Conference.objects.create(organization=saved, name="世界化学大会", year=2019)

    wf.record_save(record=org, by=unit_user, expected_version=loaded_at, save_related=save_related)
    org = Organization.objects.get(pk=org.pk)
    assert org.status == RecordStatus.SUBMITTED and org.version == loaded_at + 1
    assert org.aims == "促进化学科学的国际合作" and org.member_count == 57
    assert org.governing_bodies.get().seats == 11 and org.conferences.get().year == 2019
    entry = ChangeLog.objects.filter(object_id=org.pk, content_type__model="organization").first()
    assert entry.action == ChangeAction.SAVE and entry.version == org.version
    assert {c["field"] for c in entry.changes} == {"aims", "member_count", "governing_bodies", "conferences"}


def test_a_basic_field_of_a_submitted_organization_is_refused(unit_user):
    org = submitted_organization(unit_user)
    loaded_at = org.version
    org.aims = "宗旨"
    org.name_zh = "改了名字的组织"
    with pytest.raises(ValidationError) as error:
        wf.record_save(record=org, by=unit_user, expected_version=loaded_at)
    assert "name_zh" in error.value.message_dict
    org = Organization.objects.get(pk=org.pk)
    assert org.name_zh == "国际纯粹与应用化学联合会" and org.aims == "" and org.version == loaded_at


def test_the_directory_of_a_submitted_organization_still_checks_the_version(unit_user):
    org = submitted_organization(unit_user)
    org.aims = "宗旨"
    with pytest.raises(wf.RecordConflict):
        wf.record_save(record=org, by=unit_user, expected_version=org.version - 1)


def test_the_directory_is_closed_once_the_review_decided(unit_user, platform_admin):
    org = wf.record_approve(record=submitted_organization(unit_user), by=platform_admin)
    org.aims = "宗旨"
    with pytest.raises(ValidationError):
        wf.record_save(record=org, by=unit_user, expected_version=org.version)


def test_another_unit_may_not_fill_in_the_directory(unit_user, other_unit_user):
    org = submitted_organization(unit_user)
    org.aims = "宗旨"
    with pytest.raises(wf.PermissionDenied):
        wf.record_save(record=org, by=other_unit_user, expected_version=org.version)


# --- pages -----------------------------------------------------------------------------------------------------

def test_after_submit_the_page_prompts_for_the_directory_and_its_form_saves(unit_client, unit_user, other_client,
                                                                           admin_client_):
    response = unit_client.post(reverse("organizations:create"), form_data(action="submit"), follow=True)
    org = Organization.objects.get()
    assert org.status == RecordStatus.SUBMITTED
    page = response.content.decode()
    directory_url = reverse("organizations:directory", args=[org.pk])
    assert 'data-testid="edit-directory"' in page and f'href="{directory_url}"' in page
    assert "编辑组织名录" in page and "一并审核" in page

    form_page = unit_client.get(directory_url)
    assert form_page.status_code == 200
    assert 'value="submit"' not in form_page.content.decode()  # already submitted: one 保存 button

    assert other_client.get(directory_url).status_code == 404
    assert other_client.post(directory_url, directory_data(version=org.version, action="save")).status_code == 404

    response = unit_client.post(directory_url, directory_data(version=org.version, action="save"))
    assert response.status_code == 302 and response.url == org.get_absolute_url()
    org.refresh_from_db()
    assert org.status == RecordStatus.SUBMITTED and org.aims == "促进测试科学"
    assert org.governing_bodies.get().seats == 15 and org.conferences.get().host_unit_name == "中国测试学会"

    # The basic information stays locked while the record waits for review.
    assert unit_client.get(reverse("organizations:edit", args=[org.pk])).status_code == 302

    # The reviewer sees the directory with the submission and approves both together.
    review = admin_client_.get(org.get_absolute_url()).content.decode()
    assert 'data-testid="review-panel"' in review
    for text in ("促进测试科学", "执行委员会（15）", "第十届大会", "专门咨商地位", "XB2012"):
        assert text in review, text
    admin_client_.post(reverse("core:record_action", args=["organizations.organization", org.pk, "approve"]))
    org.refresh_from_db()
    assert org.status == RecordStatus.APPROVED and org.aims == "促进测试科学"
    assert unit_client.get(directory_url).status_code == 302  # decided: closed again


def test_a_stale_directory_form_of_a_submitted_organization_is_a_conflict(unit_client, unit_user):
    org = submitted_organization(unit_user)
    url = reverse("organizations:directory", args=[org.pk])
    unit_client.post(url, directory_data(version=org.version, action="save"))
    response = unit_client.post(url, directory_data(version=org.version, aims="旧页面的宗旨", action="save"))
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.aims == "促进测试科学"


def test_the_reviewer_approves_only_the_version_they_saw(unit_client, unit_user, admin_client_):
    org = submitted_organization(unit_user)
    seen = org.version
    review = admin_client_.get(org.get_absolute_url()).content.decode()
    assert f'name="version" value="{seen}"' in review
    # Meanwhile the unit fills in the directory with its submission.
    unit_client.post(reverse("organizations:directory", args=[org.pk]), directory_data(version=seen, action="save"))
    approve = reverse("core:record_action", args=["organizations.organization", org.pk, "approve"])
    response = admin_client_.post(approve, {"version": seen}, follow=True)
    org.refresh_from_db()
    assert org.status == RecordStatus.SUBMITTED
    assert "该记录已被他人修改" in response.content.decode()
    admin_client_.post(approve, {"version": org.version})
    org.refresh_from_db()
    assert org.status == RecordStatus.APPROVED and org.aims == "促进测试科学"
