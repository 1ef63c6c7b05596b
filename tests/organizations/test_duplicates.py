"""Duplicates never reach the registry: warned on 保存, refused on 提交 and at approval, refused by the
database, and resolved by the reviewer (merge into the existing record, or return as a duplicate)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.models import ChangeLog
from iodp.core.workflow import RecordStatus
from iodp.experts.models import Expert, ExpertKind, Position
from iodp.organizations.duplicates import (
    organization_duplicates,
    organization_merge_into,
    organization_reject_as_duplicate,
)
from iodp.organizations.models import Membership, Organization
from iodp.reference.models import Country

from .factories import approved_organization, draft_organization, saved_membership

pytestmark = pytest.mark.django_db
NEXT_YEAR = clock.today().replace(year=clock.today().year + 1, month=6, day=30)


def submitted_organization(user, **overrides) -> Organization:
    record = draft_organization(user, **overrides)
    return wf.record_submit(record=record, by=user, expected_version=record.version)


@pytest.fixture
def two_submissions(unit_user, other_unit_user):
    """Both units submit IUPAC before the platform admin has approved either."""
    return submitted_organization(unit_user), submitted_organization(other_unit_user)


def _official(**values) -> Organization:
    """An approved row written straight to the database, past every service."""
    values = {"status": RecordStatus.APPROVED, "approved_at": timezone.now(), **values}
    return Organization.objects.create(**values)


# --- the finder ---------------------------------------------------------------------------------------------

def test_duplicates_are_exact_on_a_name_or_acronym_and_hq_and_likely_when_similar(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    similar = Organization(name_zh="国际纯粹和应用化学联合会", name_en="Intl. Union of Pure & Applied Chemistry")
    [match] = organization_duplicates(organization=similar)
    assert match.organization == iupac and not match.exact

    same_en = Organization(name_en="international union of pure and applied chemistry")
    [match] = organization_duplicates(organization=same_en)
    assert match.organization == iupac and match.exact and "英文名称" in match.reason

    same_acronym_hq = Organization(name_zh="别的名字", acronym="iupac", hq_country=Country.objects.get(code="US"))
    assert [m.exact for m in organization_duplicates(organization=same_acronym_hq)] == [True]
    # The same acronym elsewhere is another organization (IAU: astronomers in Paris, universities in Paris...):
    # only a likely duplicate.
    same_acronym_elsewhere = Organization(name_zh="别的名字", acronym="IUPAC", hq_country=Country.objects.get(code="FR"))
    assert [m.exact for m in organization_duplicates(organization=same_acronym_elsewhere)] == [False]

    assert organization_duplicates(organization=Organization(name_zh="国际天文学联合会")) == []
    # A record is no duplicate of itself, nor of the record it revises.
    assert organization_duplicates(organization=iupac) == []
    revision = wf.record_start_revision(record=iupac, by=platform_admin)
    assert organization_duplicates(organization=revision) == []


# --- 提交 and 审核通过 -------------------------------------------------------------------------------------------

def test_approving_the_second_unit_s_copy_is_refused(two_submissions, platform_admin):
    first, second = two_submissions
    wf.record_approve(record=first, by=platform_admin)
    with pytest.raises(ValidationError) as error:
        wf.record_approve(record=second, by=platform_admin)
    assert "国际纯粹与应用化学联合会（IUPAC）" in " ".join(error.value.messages)
    assert f"编号 {first.pk}" in " ".join(error.value.messages)
    second.refresh_from_db()
    assert second.status == RecordStatus.SUBMITTED
    assert Organization.objects.official().count() == 1


def test_approving_a_revision_that_takes_an_existing_name_is_refused(unit_user, platform_admin):
    approved_organization(platform_admin, platform_admin)
    iau = approved_organization(platform_admin, platform_admin, name_zh="国际天文学联合会", acronym="IAU",
                                name_en="International Astronomical Union")
    revision = wf.record_start_revision(record=iau, by=platform_admin)
    # Submitting it is refused already; put it in the queue directly to check the approval itself.
    Organization.objects.filter(pk=revision.pk).update(name_zh="国际纯粹与应用化学联合会",
                                                       status=RecordStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        wf.record_approve(record=revision, by=platform_admin)
    iau.refresh_from_db()
    assert iau.name_zh == "国际天文学联合会"


def test_the_review_action_refuses_the_duplicate_with_a_message(two_submissions, platform_admin, admin_client_):
    first, second = two_submissions
    wf.record_approve(record=first, by=platform_admin)
    url = reverse("core:record_action", args=["organizations.organization", second.pk, "approve"])
    response = admin_client_.post(url, follow=True)
    page = response.content.decode()
    assert "全国名录中已有相同的组织" in page and f"编号 {first.pk}" in page
    second.refresh_from_db()
    assert second.status == RecordStatus.SUBMITTED


def test_submit_refuses_an_exact_duplicate_and_points_to_the_existing_record(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    record = draft_organization(unit_user, acronym="")
    with pytest.raises(ValidationError) as error:
        wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    text = " ".join(error.value.messages)
    assert str(iupac) in text and "核对" in text and "修改建议" in text


def test_the_same_acronym_with_another_hq_may_be_submitted(unit_user, platform_admin):
    approved_organization(platform_admin, platform_admin, acronym="IAU", name_zh="国际天文学联合会",
                          name_en="International Astronomical Union", hq_country=Country.objects.get(code="FR"))
    record = draft_organization(unit_user, acronym="IAU", name_zh="国际大学协会",
                                name_en="International Association of Universities",
                                hq_country=Country.objects.get(code="BE"))
    record = wf.record_submit(record=record, by=unit_user, expected_version=record.version)
    assert wf.record_approve(record=record, by=platform_admin).status == RecordStatus.APPROVED


# --- the database --------------------------------------------------------------------------------------------

def test_the_database_refuses_a_second_official_row_with_the_same_name(db):
    us, fr = Country.objects.get(code="US"), Country.objects.get(code="FR")
    _official(name_zh="国际测试联合会", name_en="International Test Union", acronym="ITU", hq_country=us)
    for values in ({"name_zh": "国际测试联合会"}, {"name_en": "INTERNATIONAL TEST UNION"},
                   {"name_zh": "另一个", "acronym": "itu", "hq_country": us}):
        with pytest.raises(IntegrityError), transaction.atomic():
            _official(**values)
    # Allowed: the same acronym elsewhere, empty names, drafts, submissions and revision rows.
    _official(name_zh="另一个测试组织", acronym="ITU", hq_country=fr)
    _official(name_zh="第三个", name_en="")
    _official(name_zh="第四个", name_en="")
    Organization.objects.create(name_zh="国际测试联合会", status=RecordStatus.SUBMITTED)
    official = Organization.objects.get(name_en="International Test Union")
    Organization.objects.create(name_zh="国际测试联合会", status=RecordStatus.APPROVED, revision_of=official)


def test_model_validation_reports_the_constraint_in_chinese(db):
    _official(name_zh="国际测试联合会")
    duplicate = Organization(name_zh="国际测试联合会", status=RecordStatus.APPROVED)
    with pytest.raises(ValidationError) as error:
        duplicate.validate_constraints()
    assert "全国名录中已有中文名称相同的组织" in " ".join(error.value.messages)


# --- 保存 -----------------------------------------------------------------------------------------------------

def test_save_warns_about_likely_and_exact_duplicates_with_links(unit_client, unit_user, platform_admin):
    from .test_views import form_data

    iupac = approved_organization(platform_admin, platform_admin)
    response = unit_client.post(reverse("organizations:create"), form_data(
        name_zh="国际纯粹与应用化学联合会", name_en="", acronym="", action="save"), follow=True)
    page = response.content.decode()
    record = Organization.objects.get(unit=unit_user.unit)
    assert record.status == RecordStatus.DRAFT  # saved all the same: nothing typed is lost
    assert 'data-testid="duplicate-warning"' in page
    assert f'href="{iupac.get_absolute_url()}"' in page and "国际纯粹与应用化学联合会（IUPAC）" in page
    assert "核对" in page


def test_save_says_nothing_when_there_is_no_similar_organization(unit_client, unit_user, platform_admin):
    from .test_views import form_data

    approved_organization(platform_admin, platform_admin)
    page = unit_client.post(reverse("organizations:create"), form_data(action="save"), follow=True).content.decode()
    assert 'data-testid="duplicate-warning"' not in page


# --- the reviewer: see, merge, reject -------------------------------------------------------------------------

@pytest.fixture
def resolved_first(two_submissions, platform_admin):
    first, second = two_submissions
    return wf.record_approve(record=first, by=platform_admin), second


def test_the_review_page_lists_the_duplicate_with_merge_and_reject(resolved_first, admin_client_, unit_client):
    first, second = resolved_first
    page = admin_client_.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="review-duplicates"' in page
    assert f'href="{first.get_absolute_url()}"' in page
    assert reverse("organizations:merge_into", args=[second.pk]) in page
    assert reverse("organizations:reject_duplicate", args=[second.pk]) in page
    assert "合并到已有记录" in page and "作为重复驳回" in page
    # Only the reviewer sees the panel.
    assert 'data-testid="review-duplicates"' not in unit_client.get(first.get_absolute_url()).content.decode()


def _expert_with_position(user, organization) -> Expert:
    expert = Expert(unit=user.unit, kind=ExpertKind.SERVING, name_zh="周建华", gender="male",
                    birth_date=datetime.date(1980, 6, 15), nationality=Country.objects.get(code="CN"))

    def save_related(saved):
        Position.objects.create(expert=saved, organization=organization, role="executive_member",
                                level="leadership", term_start=datetime.date(2022, 1, 1))
        saved.target_organizations.add(organization)

    return wf.record_save(record=expert, by=user, save_related=save_related)


def test_merge_moves_the_unit_s_rows_to_the_existing_record(resolved_first, admin_client_, other_unit_user,
                                                           other_client):
    first, second = resolved_first

    saved_membership(other_unit_user, second, relation="planned", target_date=NEXT_YEAR, reason="参与国际标准制定")
    expert = _expert_with_position(other_unit_user, second)
    response = admin_client_.post(reverse("organizations:merge_into", args=[second.pk]), {"target": first.pk})
    assert response.status_code == 302
    membership = Membership.objects.get(unit=other_unit_user.unit)
    assert membership.organization == first and membership.relation == "planned"
    assert expert.positions.get().organization == first
    assert list(expert.target_organizations.all()) == [first]
    second.refresh_from_db()
    assert second.status == RecordStatus.RETURNED
    assert "已合并到" in second.return_reason and str(first) in second.return_reason
    assert ChangeLog.objects.filter(object_id=first.pk, action="merge").exists()
    # The unit is told: its record shows the reason, and its home page lists it as returned.
    assert "已合并到" in other_client.get(second.get_absolute_url()).content.decode()
    assert str(second) in other_client.get(reverse("core:home")).content.decode()


def test_merge_keeps_the_unit_s_existing_membership_of_the_target(resolved_first, platform_admin, other_unit_user):
    first, second = resolved_first

    saved_membership(other_unit_user, first, relation="member")
    saved_membership(other_unit_user, second, relation="planned", target_date=NEXT_YEAR, reason="参与国际标准制定")
    organization_merge_into(duplicate=second, target=first, by=platform_admin)
    assert list(Membership.objects.values_list("organization", "relation")) == [(first.pk, "member")]


def test_merge_refuses_what_is_not_a_submission_or_not_an_official_target(resolved_first, platform_admin,
                                                                         unit_user):
    first, second = resolved_first
    with pytest.raises(ValidationError):
        organization_merge_into(duplicate=first, target=first, by=platform_admin)
    draft = draft_organization(unit_user, name_zh="国际天文学联合会", name_en="", acronym="")
    with pytest.raises(ValidationError):
        organization_merge_into(duplicate=second, target=draft, by=platform_admin)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        organization_merge_into(duplicate=second, target=first, by=unit_user)


def test_reject_as_duplicate_records_the_reason(resolved_first, admin_client_, other_client):
    first, second = resolved_first
    response = admin_client_.post(reverse("organizations:reject_duplicate", args=[second.pk]), {"target": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == RecordStatus.RETURNED
    assert "与已有组织重复" in second.return_reason and str(first) in second.return_reason
    log = ChangeLog.objects.filter(object_id=second.pk, action="return").get()
    assert "与已有组织重复" in log.comment
    assert "与已有组织重复" in other_client.get(second.get_absolute_url()).content.decode()


def test_reject_as_duplicate_service_needs_the_reviewer(resolved_first, other_unit_user):
    first, second = resolved_first
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        organization_reject_as_duplicate(duplicate=second, target=first, by=other_unit_user)


@pytest.mark.parametrize("name", ["organizations:merge_into", "organizations:reject_duplicate"])
def test_units_get_404_and_anonymous_users_login_on_the_review_endpoints(name, resolved_first, unit_client,
                                                                          other_client, client):
    first, second = resolved_first
    url = reverse(name, args=[second.pk])
    for unit in (unit_client, other_client):  # another unit, and the unit that submitted it
        assert unit.post(url, {"target": first.pk}).status_code == 404
    response = client.post(url, {"target": first.pk})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    second.refresh_from_db()
    assert second.status == RecordStatus.SUBMITTED
    assert Organization.objects.get(pk=first.pk).status == RecordStatus.APPROVED


def test_accepting_a_proposal_that_takes_an_existing_name_is_refused(unit_user, platform_admin):
    from iodp.organizations import services

    approved_organization(platform_admin, platform_admin)
    iau = approved_organization(platform_admin, platform_admin, name_zh="国际天文学联合会", acronym="IAU",
                                name_en="International Astronomical Union")
    proposal = services.proposal_create(organization=iau, by=unit_user, changes={"name_zh": "国际纯粹与应用化学联合会"})
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=proposal, decisions={"name_zh": "accepted"}, by=platform_admin)
    assert "全国名录中已有中文名称相同的组织" in " ".join(error.value.messages)
    iau.refresh_from_db()
    assert iau.name_zh == "国际天文学联合会"


@pytest.mark.parametrize("name", ["organizations:merge_into", "organizations:reject_duplicate"])
def test_a_hostile_target_is_no_such_organization(name, resolved_first, admin_client_):
    _first, second = resolved_first
    for target in (str(2**64), "-1", "abc", "1\x00", ""):
        assert admin_client_.post(reverse(name, args=[second.pk]), {"target": target}).status_code == 404
    second.refresh_from_db()
    assert second.status == RecordStatus.SUBMITTED
