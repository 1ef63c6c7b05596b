"""修改建议 for the record's lists (奖项情况, 领导机构及人数, 国际会议): each changed list is one item, replaced as a
whole when the platform admin accepts it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iodp.core.models import ChangeLog
from iodp.organizations import services
from iodp.organizations.models import (
    Award,
    ChangeProposal,
    Conference,
    Decision,
    GoverningBody,
    ProposalItem,
    ProposalStatus,
)
from iodp.reference.models import Country

from .factories import approved_organization, draft_organization
from .test_proposals import proposal_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def iupac(platform_admin):
    org = approved_organization(platform_admin, platform_admin)
    Award.objects.create(organization=org, name="IUPAC 化学青年奖", description="奖励青年化学家", frequency="每年")
    Award.objects.create(organization=org, name="Thieme–IUPAC Prize", frequency="每两年")
    GoverningBody.objects.create(organization=org, name="理事会", seats=12)
    return org


def award_rows(org) -> list[dict]:
    return [{"name": a.name, "description": a.description, "frequency": a.frequency} for a in org.awards.all()]


def official_awards(org) -> list[tuple]:
    return list(Award.objects.filter(organization=org).values_list("name", "description", "frequency"))


# --- service level ------------------------------------------------------------------------------------------

def test_a_changed_award_list_is_one_item_and_accepting_replaces_the_rows(iupac, unit_user, platform_admin):
    version = iupac.version
    rows = award_rows(iupac)
    rows[1]["frequency"] = "每三年"
    rows.append({"name": "IUPAC 杰出女性化学家奖", "description": "", "frequency": "每两年"})
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"awards": rows},
                                        comment="见官网奖项页")
    item = proposal.items.get()
    assert item.field == "awards" and item.label == "奖项情况"
    assert item.current_display == "IUPAC 化学青年奖 · 每年 · 奖励青年化学家\nThieme–IUPAC Prize · 每两年"
    assert item.proposed_display == ("IUPAC 化学青年奖 · 每年 · 奖励青年化学家\nThieme–IUPAC Prize · 每三年\n"
                                     "IUPAC 杰出女性化学家奖 · 每两年")
    assert item.proposed_value[2] == {"name": "IUPAC 杰出女性化学家奖", "description": "", "frequency": "每两年"}
    # Nothing changes before the decision.
    assert official_awards(iupac)[1] == ("Thieme–IUPAC Prize", "", "每两年")
    propose_entry = ChangeLog.objects.get(object_id=iupac.pk, action="propose")
    assert propose_entry.changes[0]["field"] == "awards" and propose_entry.changes[0]["label"] == "奖项情况"

    services.proposal_decide(proposal=proposal, decisions={"awards": Decision.ACCEPTED}, by=platform_admin)
    assert official_awards(iupac) == [("IUPAC 化学青年奖", "奖励青年化学家", "每年"),
                                      ("Thieme–IUPAC Prize", "", "每三年"),
                                      ("IUPAC 杰出女性化学家奖", "", "每两年")]
    iupac.refresh_from_db()
    assert iupac.version == version + 1
    assert list(iupac.governing_bodies.values_list("name", flat=True)) == ["理事会"]  # other lists untouched
    entry = ChangeLog.objects.filter(object_id=iupac.pk).first()
    assert entry.action == "approve" and "采纳 1 项" in entry.comment
    change = next(c for c in entry.changes if c["field"] == "awards")
    assert change["before"] == item.current_display and change["after"] == item.proposed_display
    assert entry.snapshot["awards"]["value"] == item.proposed_display


def test_list_and_field_items_are_accepted_in_one_transaction_and_log_entry(iupac, unit_user, platform_admin):
    china = Country.objects.get(code="CN")
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={
        "hq_city": "Durham",
        "governing_bodies": [{"name": "理事会", "seats": 15, "notes": ""}, {"name": "执行委员会", "seats": 7}],
        "conferences": [{"name": "IUPAC 世界化学大会", "year": 2025, "city": "Kuala Lumpur",
                         "country": Country.objects.get(code="MY")},
                        {"name": "IUPAC 世界化学大会", "year": 2027, "city": "Bangkok", "country": None},
                        {"name": "第 40 届大会", "year": 1999, "city": "北京", "country": china.pk,
                         "hosted_in_china": True, "host_unit_name": "中国化学会"}],
    })
    assert {i.field for i in proposal.items.all()} == {"hq_city", "governing_bodies", "conferences"}
    conferences = proposal.items.get(field="conferences")
    assert conferences.label == "国际会议"
    # The same ordering as the record (newest year first).
    assert conferences.proposed_display.splitlines()[0].startswith("2027 · IUPAC 世界化学大会")
    services.proposal_decide(proposal=proposal, by=platform_admin, decisions={
        "hq_city": "accepted", "governing_bodies": "rejected", "conferences": "accepted"})
    iupac.refresh_from_db()
    assert iupac.hq_city == "Durham"
    assert list(iupac.governing_bodies.values_list("name", "seats")) == [("理事会", 12)]
    rows = list(Conference.objects.filter(organization=iupac).values_list("year", "country__code", "hosted_in_china",
                                                                          "host_unit_name"))
    assert rows == [(2027, None, False, ""), (2025, "MY", False, ""), (1999, "CN", True, "中国化学会")]
    assert iupac.display_value("conferences") == conferences.proposed_display
    entry = ChangeLog.objects.filter(object_id=iupac.pk).first()  # one entry for the whole decision
    assert entry.action == "approve" and "采纳 2 项，不采纳 1 项" in entry.comment
    assert {c["field"] for c in entry.changes} == {"hq_city", "conferences"}


def test_rejecting_a_list_changes_nothing(iupac, unit_user, platform_admin):
    version = iupac.version
    before = official_awards(iupac)
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"awards": []})
    assert proposal.items.get().proposed_display == ""
    services.proposal_decide(proposal=proposal, decisions={"awards": "rejected"}, by=platform_admin)
    assert official_awards(iupac) == before
    iupac.refresh_from_db()
    assert iupac.version == version
    assert proposal.items.get().decision == Decision.REJECTED
    assert ChangeLog.objects.filter(object_id=iupac.pk, action="reject").exists()


def test_an_invalid_row_is_refused_and_nothing_is_created(iupac, unit_user):
    rows = award_rows(iupac) + [{"name": "", "description": "没有名称的奖项", "frequency": ""}]
    with pytest.raises(ValidationError) as error:
        services.proposal_create(organization=iupac, by=unit_user, changes={"awards": rows, "hq_city": "Durham"})
    assert "奖项情况第 3 行" in str(error.value) and "奖项名称" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.proposal_create(organization=iupac, by=unit_user, changes={"conferences": [
            {"name": "大会", "year": "明年"}, {"name": "大会", "year": 2020, "host_unit_name": "中国化学会"},
            {"name": "大会", "year": 2020, "country": 999999}]})
    message = " ".join(error.value.messages)
    assert "国际会议第 1 行：年份" in message
    assert "国际会议第 2 行" in message and "仅在华举办的会议需要填写承办单位" in message
    assert "国际会议第 3 行：举办国家或地区" in message
    with pytest.raises(ValidationError) as error:
        services.proposal_create(organization=iupac, by=unit_user, changes={"awards": [{"title": "x"}]})
    assert "未知字段 title" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.proposal_create(organization=iupac, by=unit_user, changes={"awards": "IUPAC 化学青年奖"})
    assert "奖项情况须为多行数据" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.proposal_create(organization=iupac, by=unit_user,
                                 changes={"awards": [{"name": f"奖 {n}"} for n in range(51)]})
    assert "奖项情况最多 50 行" in str(error.value)
    assert not ChangeProposal.objects.exists() and not ProposalItem.objects.exists()
    assert not ChangeLog.objects.filter(object_id=iupac.pk, action="propose").exists()


def test_an_unchanged_list_creates_no_item(iupac, unit_user):
    rows = award_rows(iupac) + [{"name": "", "description": "", "frequency": ""}]  # a blank row is ignored
    with pytest.raises(ValidationError) as error:
        services.proposal_create(organization=iupac, by=unit_user, changes={
            "awards": rows, "governing_bodies": list(iupac.governing_bodies.all()), "conferences": []})
    assert error.value.code == "no_changes"
    proposal = services.proposal_create(organization=iupac, by=unit_user,
                                        changes={"awards": rows, "hq_city": "Durham"})
    assert [i.field for i in proposal.items.all()] == ["hq_city"]


def test_a_row_that_became_invalid_rolls_the_whole_decision_back(iupac, unit_user, platform_admin):
    version = iupac.version
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={
        "hq_city": "Durham", "awards": [{"name": "新奖项"}]})
    # e.g. stored by an older importer: a row the model refuses.
    ProposalItem.objects.filter(proposal=proposal, field="awards").update(
        proposed_value=[{"name": "新奖项"}, {"name": "", "description": "x"}])
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=proposal, by=platform_admin,
                                 decisions={"hq_city": "accepted", "awards": "accepted"})
    assert "采纳后的记录未通过校验" in str(error.value) and "奖项情况第 2 行" in str(error.value)
    iupac.refresh_from_db()
    assert iupac.hq_city == "Research Triangle Park" and iupac.version == version
    assert len(official_awards(iupac)) == 2
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert set(proposal.items.values_list("decision", flat=True)) == {Decision.PENDING}


# --- view level ------------------------------------------------------------------------------------------------

def test_the_proposal_page_shows_the_lists_prefilled(iupac, unit_client):
    page = unit_client.get(reverse("organizations:propose", args=[iupac.pk])).content.decode()
    assert 'data-formset="awards"' in page and 'data-formset="governing_bodies"' in page
    assert 'data-formset="conferences"' in page
    assert 'value="IUPAC 化学青年奖"' in page and 'value="理事会"' in page
    assert "添加一行" in page and "删除" in page


def test_the_proposal_form_posts_list_rows(iupac, unit_client, unit_user, admin_client_):
    first, second = iupac.awards.all()
    data = proposal_post(iupac)
    assert data["awards-TOTAL_FORMS"] == "3" and data["awards-0-id"] == first.pk
    data.update({"awards-0-frequency": "每年（11 月颁发）", "awards-1-DELETE": "on",
                 "awards-2-name": "IUPAC 杰出女性化学家奖", "awards-2-frequency": "每两年",
                 "comment": "奖项以官网为准"})
    response = unit_client.post(reverse("organizations:propose", args=[iupac.pk]), data)
    assert response.status_code == 302
    proposal = ChangeProposal.objects.get()
    item = proposal.items.get()
    assert item.field == "awards"
    assert item.proposed_value == [
        {"name": "IUPAC 化学青年奖", "description": "奖励青年化学家", "frequency": "每年（11 月颁发）"},
        {"name": "IUPAC 杰出女性化学家奖", "description": "", "frequency": "每两年"}]
    assert official_awards(iupac) == [("IUPAC 化学青年奖", "奖励青年化学家", "每年"),
                                      ("Thieme–IUPAC Prize", "", "每两年")]
    # The proposer and the admin see the rows; the admin accepts through the page.
    url = reverse("organizations:proposal_detail", args=[proposal.pk])
    assert "IUPAC 杰出女性化学家奖 · 每两年" in unit_client.get(url).content.decode()
    assert 'name="decision_awards"' in admin_client_.get(url).content.decode()
    assert admin_client_.post(url, {"decision_awards": "accepted"}).status_code == 302
    assert [a[0] for a in official_awards(iupac)] == ["IUPAC 化学青年奖", "IUPAC 杰出女性化学家奖"]
    assert not Award.objects.filter(pk__in=[first.pk, second.pk]).exists()  # rows are replaced as a whole


def test_an_invalid_list_row_keeps_what_was_typed(iupac, unit_client):
    data = proposal_post(iupac)
    data.update({"awards-2-description": "忘了写名称的奖项", "hq_city": "Durham"})
    response = unit_client.post(reverse("organizations:propose", args=[iupac.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "忘了写名称的奖项" in page and 'value="Durham"' in page
    assert not ChangeProposal.objects.exists()


def test_a_post_without_the_lists_is_refused(iupac, unit_client):
    data = {k: v for k, v in proposal_post(iupac, hq_city="Durham").items() if not k.startswith("awards-")}
    response = unit_client.post(reverse("organizations:propose", args=[iupac.pk]), data)
    assert response.status_code == 200
    assert not ChangeProposal.objects.exists()


def test_another_unit_cannot_see_a_list_proposal(iupac, unit_user, other_unit_user, other_client, platform_admin):
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"awards": [{"name": "新奖项"}]})
    url = reverse("organizations:proposal_detail", args=[proposal.pk])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, {"decision_awards": "accepted"}).status_code == 404
    # A unit's own draft is no one else's to propose on.
    draft = draft_organization(unit_user, name_zh="某草稿组织", name_en="Draft Org", acronym="DRO")
    response = other_client.post(reverse("organizations:propose", args=[draft.pk]),
                                 {"awards-TOTAL_FORMS": "1", "awards-INITIAL_FORMS": "0", "awards-0-name": "x"})
    assert response.status_code == 404
    assert ChangeProposal.objects.count() == 1 and len(official_awards(iupac)) == 2


def test_anonymous_users_are_redirected_to_login(iupac, unit_user, client):
    proposal = services.proposal_create(organization=iupac, by=unit_user, changes={"awards": [{"name": "新奖项"}]})
    for url in (reverse("organizations:propose", args=[iupac.pk]),
                reverse("organizations:proposal_detail", args=[proposal.pk])):
        for response in (client.get(url), client.post(url, {"decision_awards": "accepted"})):
            assert response.status_code == 302 and "login" in response["Location"]
    assert len(official_awards(iupac)) == 2
    assert ChangeProposal.objects.get().status == ProposalStatus.PENDING


def test_a_description_only_change_is_visible_in_the_item(iupac, unit_user):
    rows = award_rows(iupac)
    rows[1]["description"] = "化学出版物奖"
    item = services.proposal_create(organization=iupac, by=unit_user, changes={"awards": rows}).items.get()
    assert item.current_display != item.proposed_display and "化学出版物奖" in item.proposed_display
