"""核对 and 修改建议: units never overwrite the shared record; the platform admin decides field by field."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from iodp.core.models import ChangeLog
from iodp.organizations import services
from iodp.organizations.models import ChangeProposal, Decision, Organization, ProposalStatus, Verification
from iodp.reference.models import Country, Discipline

from .factories import approved_organization, draft_organization
from .test_validation import basic_data

pytestmark = pytest.mark.django_db


def proposal_post(org, **changes) -> dict:
    data = basic_data(name_zh=org.name_zh, name_en=org.name_en, acronym=org.acronym,
                      disciplines=[d.pk for d in org.disciplines.all()], nature=org.nature, category=org.category,
                      hq_country=org.hq_country_id, hq_city=org.hq_city, founded_year=str(org.founded_year),
                      website="", email="", phone="", membership_forms=[], dues_payer="", dues_amount="",
                      dues_currency="", dues_period="", hk_member="", hk_name="", mo_member="")
    data.update({"aims": "", "governance": "", "member_count": "", "member_country_count": "",
                 "official_languages": "", "secretariat_country": "", "secretariat_city": "",
                 "election_cycle_years": "", "regular_meetings": "", "ecosoc_status": "", "igo_relations": "",
                 "ror_id": "", "uia_id": "", "comment": ""})
    data.update(list_post(org))
    data.update(changes)
    return data


def list_post(org) -> dict:
    """What the proposal page posts for the lists when nothing is touched: the official rows plus one blank row."""
    from iodp.organizations.forms import LIST_FORMSETS

    data = {}
    for name, formset_class in LIST_FORMSETS.items():
        formset = formset_class(instance=org, prefix=name)
        for key, value in formset.management_form.initial.items():
            data[f"{name}-{key}"] = str(value)
        for form in formset.forms:
            for field in form:
                value = field.value()
                if value in (None, False):
                    continue
                data[field.html_name] = value.pk if hasattr(value, "pk") else value
    return data


@pytest.fixture
def iupac(unit_user, platform_admin):
    return approved_organization(platform_admin, platform_admin)


def test_verify_records_the_unit_and_date(iupac, unit_client, unit_user):
    response = unit_client.post(reverse("organizations:verify", args=[iupac.pk]))
    assert response.status_code == 302
    verification = Verification.objects.get()
    assert verification.unit == unit_user.unit and verification.version == iupac.version
    assert ChangeLog.objects.filter(object_id=iupac.pk, action="verify").exists()
    page = unit_client.get(iupac.get_absolute_url()).content.decode()
    assert "本单位于" in page and "甲省科学技术协会" in page


def test_the_list_shows_the_latest_verification(iupac, unit_client, other_client, unit_user, other_unit_user,
                                                platform_admin):
    unaudited = approved_organization(platform_admin, platform_admin, name_zh="国际天文学联合会", acronym="IAU",
                                      name_en="International Astronomical Union")
    with time_machine.travel(datetime.datetime(2026, 2, 3, 12, tzinfo=datetime.UTC), tick=False):
        services.organization_verify(organization=iupac, by=other_unit_user)
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, tzinfo=datetime.UTC), tick=False):
        services.organization_verify(organization=iupac, by=unit_user)
    response = other_client.get(reverse("organizations:list"))
    assert "最近核对" in response.content.decode()
    rows = {org.pk: org for org in response.context["page"]}
    assert rows[iupac.pk].last_verified_at.date() == datetime.date(2026, 3, 4)
    assert rows[iupac.pk].last_verified_unit == "甲省科学技术协会"
    assert rows[unaudited.pk].last_verified_at is None
    row = response.content.decode().split(f'href="{iupac.get_absolute_url()}"')[1].split("</tr>")[0]
    assert "2026-03-04" in row and "甲省科学技术协会" in row


def test_only_approved_organizations_are_verified(unit_user):
    draft = draft_organization(unit_user)
    with pytest.raises(ValidationError):
        services.organization_verify(organization=draft, by=unit_user)


def test_a_proposal_changes_nothing_until_the_admin_decides(iupac, unit_client, unit_user):
    response = unit_client.post(reverse("organizations:propose", args=[iupac.pk]), proposal_post(
        iupac, hq_city="Durham, NC", founded_year="1918", website="https://iupac.org",
        disciplines=[Discipline.objects.get(code="150").pk, Discipline.objects.get(code="530").pk],
        comment="见官网"))
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = ChangeProposal.objects.get()
    assert proposal.unit == unit_user.unit and proposal.comment == "见官网"
    assert {i.field for i in proposal.items.all()} == {"hq_city", "founded_year", "website", "disciplines"}
    iupac.refresh_from_db()
    assert iupac.hq_city == "Research Triangle Park" and iupac.founded_year == 1919
    assert ChangeLog.objects.filter(object_id=iupac.pk, action="propose").exists()


def test_a_proposal_without_changes_is_refused(iupac, unit_client):
    response = unit_client.post(reverse("organizations:propose", args=[iupac.pk]), proposal_post(iupac))
    assert response.status_code == 200
    assert "您没有修改任何内容" in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_an_invalid_proposal_keeps_what_was_typed(iupac, unit_client):
    response = unit_client.post(reverse("organizations:propose", args=[iupac.pk]),
                                proposal_post(iupac, website="bad url", hq_city="Durham"))
    page = response.content.decode()
    assert response.status_code == 200 and 'value="bad url"' in page and 'value="Durham"' in page
    assert not ChangeProposal.objects.exists()


def test_admin_accepts_some_fields_and_rejects_others(iupac, unit_user, platform_admin, admin_client_):
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={
        "hq_city": "Durham", "founded_year": 1918,
        "disciplines": list(Discipline.objects.filter(code__in=["150", "530"])),
        "hq_country": Country.objects.get(code="CH")})
    url = reverse("organizations:proposal_detail", args=[proposal.pk])
    page = admin_client_.get(url).content.decode()
    assert "Research Triangle Park" in page and "Durham" in page and "化学工程" in page
    # Every field needs a decision.
    response = admin_client_.post(url, {"decision_hq_city": "accepted"})
    assert "请逐项选择" in response.content.decode()
    iupac.refresh_from_db()
    assert iupac.hq_city == "Research Triangle Park"
    response = admin_client_.post(url, {"decision_hq_city": "accepted", "decision_founded_year": "rejected",
                                        "decision_disciplines": "accepted", "decision_hq_country": "rejected",
                                        "comment": "年份以官网为准"})
    assert response.status_code == 302
    iupac.refresh_from_db()
    assert iupac.hq_city == "Durham" and iupac.founded_year == 1919 and iupac.hq_country.code == "US"
    assert sorted(d.code for d in iupac.disciplines.all()) == ["150", "530"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECIDED and proposal.decided_by == platform_admin
    decisions = dict(proposal.items.values_list("field", "decision"))
    assert decisions == {"hq_city": Decision.ACCEPTED, "founded_year": Decision.REJECTED,
                         "disciplines": Decision.ACCEPTED, "hq_country": Decision.REJECTED}
    entry = ChangeLog.objects.filter(object_id=iupac.pk).first()
    assert entry.action == "approve" and "采纳 2 项，不采纳 2 项" in entry.comment
    assert {c["field"] for c in entry.changes} == {"hq_city", "disciplines"}
    assert Organization.objects.get(pk=iupac.pk).search_text  # derived values kept


def test_accepted_values_still_go_through_validation(iupac, unit_user, platform_admin):
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"dues_amount": 100})
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=proposal, decisions={"dues_amount": "accepted"}, by=platform_admin)
    assert "填写会费金额时请填写币种" in str(error.value)
    iupac.refresh_from_db()
    assert iupac.dues_amount is None


def test_rejecting_everything_changes_nothing_and_is_logged(iupac, unit_user, platform_admin):
    version = iupac.version
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"hq_city": "X"})
    services.proposal_decide(proposal=proposal, decisions={"hq_city": "rejected"}, by=platform_admin)
    iupac.refresh_from_db()
    assert iupac.hq_city == "Research Triangle Park" and iupac.version == version
    assert ChangeLog.objects.filter(object_id=iupac.pk, action="reject").exists()


def test_only_the_admin_decides_and_other_units_cannot_see_a_proposal(iupac, unit_user, other_unit_user,
                                                                     other_client, unit_client):
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"hq_city": "X"})
    with pytest.raises(PermissionDenied):
        services.proposal_decide(proposal=proposal, decisions={"hq_city": "accepted"}, by=unit_user)
    url = reverse("organizations:proposal_detail", args=[proposal.pk])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, {"decision_hq_city": "accepted"}).status_code == 404
    assert unit_client.get(url).status_code == 200
    assert unit_client.post(url, {"decision_hq_city": "accepted"}).status_code == 404
    assert unit_client.get(reverse("organizations:proposal_list")).status_code == 404
    iupac.refresh_from_db()
    assert iupac.hq_city == "Research Triangle Park"


def test_admin_sees_pending_proposals(iupac, unit_user, admin_client_):
    services.proposal_create(organization=iupac, by=unit_user, changes={"hq_city": "X"})
    page = admin_client_.get(reverse("organizations:proposal_list")).content.decode()
    assert "国际纯粹与应用化学联合会" in page and "甲省科学技术协会" in page
    assert 'data-testid="proposal-queue"' in admin_client_.get(reverse("organizations:list")).content.decode()


def test_a_unit_cannot_revise_the_shared_record_even_by_a_direct_request(iupac, unit_client, unit_user,
                                                                         platform_admin):
    from iodp.core import workflow_services as wf

    url = reverse("core:record_action", args=["organizations.organization", iupac.pk, "revise"])
    assert unit_client.post(url).status_code == 404
    assert not Organization.objects.filter(revision_of=iupac).exists()
    with pytest.raises(PermissionDenied):
        wf.record_start_revision(record=iupac, by=unit_user)
    revision = wf.record_start_revision(record=iupac, by=platform_admin)  # the platform admin may
    assert revision.revision_of == iupac


def test_the_admins_revision_of_a_units_organization_stays_the_admins(unit_client, unit_user, platform_admin):
    """A revision belongs to whoever opened it: the creating unit can neither see, edit nor submit it."""
    from iodp.core import workflow_services as wf

    from .factories import approved_organization

    iupac = approved_organization(unit_user, platform_admin)
    assert iupac.unit_id == unit_user.unit_id
    revision = wf.record_start_revision(record=iupac, by=platform_admin)
    assert revision.unit_id is None
    revision.name_en = "Changed by the unit"
    with pytest.raises(PermissionDenied):
        wf.record_save(record=revision, by=unit_user, expected_version=revision.version)
    assert unit_client.get(revision.get_edit_url()).status_code == 404
    submit = reverse("core:record_action", args=["organizations.organization", revision.pk, "approve"])
    assert unit_client.post(submit).status_code == 404
    approved = wf.record_approve(record=wf.record_submit(record=Organization.objects.get(pk=revision.pk),
                                                         by=platform_admin, expected_version=revision.version),
                                 by=platform_admin)
    assert approved.pk == iupac.pk and approved.unit_id == unit_user.unit_id  # the official record keeps its unit


def _history_text(client, org) -> str:
    response = client.get(reverse("organizations:detail", args=[org.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('data-testid="history"'):]


def test_a_pending_proposal_is_seen_only_by_its_proposer_and_the_platform_admin(
        iupac, unit_user, unit_client, other_client, admin_client_):
    services.proposal_create(organization=iupac, by=unit_user, changes={"hq_city": "秘密新城市"})
    assert "秘密新城市" in _history_text(unit_client, iupac)
    assert "秘密新城市" in _history_text(admin_client_, iupac)
    others = _history_text(other_client, iupac)
    assert "秘密新城市" not in others and unit_user.username not in others


def test_a_rejected_proposal_stays_between_its_proposer_and_the_platform_admin(
        iupac, unit_user, unit_client, other_client, platform_admin):
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"hq_city": "秘密新城市"})
    services.proposal_decide(proposal=proposal, decisions={"hq_city": "rejected"}, by=platform_admin)
    others = _history_text(other_client, iupac)
    assert "秘密新城市" not in others and unit_user.username not in others
    assert unit_user.unit.name not in others
    assert "秘密新城市" in _history_text(unit_client, iupac)


def test_other_units_see_approved_history_without_other_units_usernames(
        unit_user, other_unit_user, unit_client, other_client, platform_admin):
    org = approved_organization(unit_user, platform_admin)
    proposal = services.proposal_create(organization=org, by=unit_user, changes={"hq_city": "Geneva"})
    services.proposal_decide(proposal=proposal, decisions={"hq_city": "accepted"}, by=platform_admin)
    others = _history_text(other_client, org)
    assert "Geneva" in others  # the approved change is the registry's public history
    assert unit_user.username not in others and unit_user.unit.name not in others
    mine = _history_text(unit_client, org)
    assert unit_user.username in mine  # a unit sees its own people's entries
