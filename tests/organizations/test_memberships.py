"""会员关系: a unit's membership or plan; saved, submitted and reviewed like every record; visible to and changed
by that unit only; counted once approved."""


import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iodp.core import clock
from iodp.core.models import ChangeLog
from iodp.organizations.models import Conference, Membership

from .factories import approved_membership, approved_organization, draft_organization, saved_membership

pytestmark = pytest.mark.django_db
NEXT_YEAR = clock.today().replace(year=clock.today().year + 1, month=6, day=30)


@pytest.fixture
def iupac(unit_user, platform_admin):
    return approved_organization(platform_admin, platform_admin)


def plan_data(org, **overrides):
    data = {"organization": org.pk, "relation": "planned", "form": "institutional", "since_year": "",
            "dues_amount": "", "dues_currency": "", "target_date": NEXT_YEAR.isoformat(),
            "reason": "参与国际标准制定", "notes": "", "action": "submit"}
    data.update(overrides)
    return data


def member_data(org, **overrides):
    return plan_data(org, **{"relation": "member", "target_date": "", "reason": "", "since_year": "2010",
                             **overrides})


def test_a_submitted_plan_waits_for_review_and_counts_once_approved(iupac, unit_client, unit_user, admin_client_):
    response = unit_client.post(reverse("organizations:plan_create"), plan_data(iupac))
    membership = Membership.objects.get()
    assert response.status_code == 302 and response.url == membership.get_absolute_url()
    assert membership.unit == unit_user.unit and membership.relation == "planned"
    assert membership.status == "submitted" and membership.created_by == unit_user
    assert membership.target_date == NEXT_YEAR
    assert ChangeLog.objects.filter(action="create", object_id=membership.pk).exists()
    page = unit_client.get(iupac.get_absolute_url()).content.decode()
    assert "计划加入" in page and "待审核" in page and "共 0 个单位已加入" in page
    queue = admin_client_.get(reverse("core:review_queue")).content.decode()
    assert membership.get_absolute_url() in queue
    detail = admin_client_.get(membership.get_absolute_url()).content.decode()
    assert 'data-testid="review-panel"' in detail and "参与国际标准制定" in detail
    approve = reverse("core:record_action", args=["organizations.membership", membership.pk, "approve"])
    assert admin_client_.post(approve, {"version": membership.version}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == "approved"
    home = unit_client.get(reverse("core:home")).content.decode()
    assert "计划加入" in home
    planned = unit_client.get(reverse("organizations:list"), {"membership": "planned"}).context["page"]
    assert [org.pk for org in planned] == [iupac.pk]


def test_a_saved_plan_goes_to_the_draft_box_incomplete(iupac, unit_client, unit_user):
    response = unit_client.post(reverse("organizations:plan_create"),
                                plan_data(iupac, action="save", target_date="", reason=""))
    membership = Membership.objects.get()
    assert response.status_code == 302 and membership.status == "draft"
    drafts = unit_client.get(reverse("core:drafts")).content.decode()
    assert membership.get_edit_url() in drafts and "会员关系" in drafts
    edit = reverse("organizations:membership_edit", args=[membership.pk])
    refused = unit_client.post(edit, plan_data(iupac, target_date="", reason="", version=membership.version))
    errors = refused.context["form"].errors
    assert "计划加入请填写目标时间" in str(errors["target_date"]) and "请填写计划加入的理由" in str(errors["reason"])
    membership.refresh_from_db()
    assert membership.status == "draft"
    done = unit_client.post(edit, plan_data(iupac, version=membership.version))
    assert done.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "submitted"


def test_a_draft_plan_can_be_discarded_and_the_discard_is_in_the_history(iupac, unit_client, unit_user):
    membership = saved_membership(unit_user, iupac, relation="planned")
    discard = reverse("core:record_action", args=["organizations.membership", membership.pk, "discard"])
    assert unit_client.post(discard, {"version": membership.version}).status_code == 302
    assert not Membership.objects.exists()
    assert ChangeLog.objects.filter(object_id=membership.pk, action="discard").exists()


@pytest.mark.parametrize("overrides,field,message", [
    ({"target_date": ""}, "target_date", "计划加入请填写目标时间"),
    ({"target_date": "2001-01-01"}, "target_date", "计划加入时间不能早于今天"),
    ({"reason": ""}, "reason", "请填写计划加入的理由"),
    ({"organization": ""}, "organization", "请输入名称并从检索结果中选择国际组织"),
    ({"organization": "999999"}, "organization", "请从检索结果中选择国际组织"),
])
def test_plan_validation(iupac, unit_client, overrides, field, message):
    response = unit_client.post(reverse("organizations:plan_create"), plan_data(iupac, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Membership.objects.exists()


@pytest.mark.parametrize("overrides,field,message", [
    ({"since_year": "2001"}, "since_year", "计划加入的组织不需要填写加入年份"),
    ({"dues_amount": "100"}, "dues_currency", "填写会费金额时请填写币种"),
])
def test_a_plan_chosen_on_the_membership_form_is_checked_too(iupac, unit_client, overrides, field, message):
    for action in ("save", "submit"):  # rules between fields hold for drafts too
        response = unit_client.post(reverse("organizations:membership_create"),
                                    plan_data(iupac, action=action, **overrides))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
    assert not Membership.objects.exists()


def test_a_plan_for_an_organization_not_in_the_registry_creates_it_first(unit_client, unit_user, admin_client_):
    from .test_views import form_data

    response = unit_client.post(reverse("organizations:create") + "?plan=1", form_data(action="save"))
    org = draft_organization.__globals__["Organization"].objects.get()
    assert response.url == reverse("organizations:plan_create") + f"?organization={org.pk}"
    page = unit_client.get(response.url).content.decode()
    assert f'value="{org.pk}"' in page and "国际测试科学联合会（IUTS）" in page
    response = unit_client.post(reverse("organizations:plan_create"), plan_data(org))
    plan = Membership.objects.get()
    assert response.status_code == 302 and plan.organization == org and plan.status == "submitted"
    # The reviewer decides the organization first: a plan never links to an unreviewed registry entry.
    approve = reverse("core:record_action", args=["organizations.membership", plan.pk, "approve"])
    refused = admin_client_.post(approve, {"version": plan.version}, follow=True)
    assert "该国际组织尚未审核通过" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_one_membership_per_unit_and_organization(iupac, unit_client):
    unit_client.post(reverse("organizations:plan_create"), plan_data(iupac, action="save"))
    for action in ("save", "submit"):
        response = unit_client.post(reverse("organizations:membership_create"), member_data(iupac, action=action))
        assert response.status_code == 200
        assert "本单位已登记与该组织的会员关系" in response.content.decode()
    assert Membership.objects.count() == 1


def test_memberships_are_isolated_between_units(iupac, unit_user, other_unit_user, platform_admin, unit_client,
                                                other_client):
    mine = approved_membership(unit_user, platform_admin, iupac, relation="member", dues_amount=100,
                               dues_currency="USD", notes="甲单位的备注")
    page = other_client.get(iupac.get_absolute_url()).content.decode()
    assert "甲单位的备注" not in page and "共 1 个单位已加入" in page
    assert "甲省科学技术协会" not in other_client.get(reverse("organizations:membership_list")).content.decode()
    for name in ("membership_edit", "membership_detail"):
        assert other_client.get(reverse(f"organizations:{name}", args=[mine.pk])).status_code == 404
    response = other_client.post(reverse("organizations:membership_edit", args=[mine.pk]) + "?revise=1",
                                 member_data(iupac, notes="改了", version=mine.version))
    assert response.status_code == 404
    assert other_client.post(reverse("organizations:membership_delete", args=[mine.pk]),
                             {"version": mine.version}).status_code == 404
    for action in ("revise", "discard", "approve", "return"):
        url = reverse("core:record_action", args=["organizations.membership", mine.pk, action])
        assert other_client.post(url, {"version": mine.version, "reason": "x"}).status_code == 404
    mine.refresh_from_db()
    assert mine.notes == "甲单位的备注" and not mine.revisions.exists()
    assert "甲单位的备注" in unit_client.get(iupac.get_absolute_url()).content.decode()


def test_a_unit_cannot_join_another_units_draft(unit_client, unit_user, other_unit_user):
    from iodp.core import workflow_services as wf

    draft = draft_organization(other_unit_user, name_zh="乙草稿", acronym="BD")
    for action in ("save", "submit"):
        response = unit_client.post(reverse("organizations:plan_create"), plan_data(draft, action=action))
        assert response.status_code == 200 and not Membership.objects.exists()
    # Whoever calls the service (an import, the API), not only the page's picker.
    with pytest.raises(ValidationError) as refused:
        wf.record_save(record=Membership(organization=draft, unit=unit_user.unit), by=unit_user)
    assert "请从名录中选择国际组织" in str(refused.value)


def test_changing_an_approved_membership_is_a_revision_reviewed_like_any_other(iupac, unit_user, platform_admin,
                                                                               unit_client, admin_client_):
    plan = approved_membership(unit_user, platform_admin, iupac, relation="planned", target_date=NEXT_YEAR,
                               reason="参与国际标准制定")
    edit = reverse("organizations:membership_edit", args=[plan.pk]) + "?revise=1"
    assert unit_client.get(edit).status_code == 200 and plan.revisions.count() == 0  # nothing written on 修改
    response = unit_client.post(edit, member_data(iupac, version=plan.version, revise="1", since_year="2026",
                                                  dues_amount="500", dues_currency="eur"))
    assert response.status_code == 302
    revision = plan.revisions.get()
    plan.refresh_from_db()
    assert plan.relation == "planned" and revision.relation == "member" and revision.status == "submitted"
    assert unit_client.get(reverse("organizations:list"), {"membership": "planned"}).context["page"].paginator.count == 1
    approve = reverse("core:record_action", args=["organizations.membership", revision.pk, "approve"])
    assert admin_client_.post(approve, {"version": revision.version}).status_code == 302
    plan.refresh_from_db()
    assert plan.relation == "member" and plan.dues_currency == "EUR" and plan.since_year == 2026
    assert Membership.objects.count() == 1


def test_the_owner_deletes_an_approved_membership_and_the_deletion_is_in_its_history(
        iupac, unit_user, platform_admin, unit_client):
    membership = approved_membership(unit_user, platform_admin, iupac, relation="member", since_year=2010)
    detail = unit_client.get(membership.get_absolute_url()).content.decode()
    assert 'data-testid="membership-delete"' in detail
    assert unit_client.post(reverse("organizations:membership_delete", args=[membership.pk]),
                            {"version": membership.version}).status_code == 302
    assert not Membership.objects.exists()
    assert ChangeLog.objects.filter(action="delete", object_id=membership.pk).exists()


def test_counts_and_filters_use_approved_memberships_only(iupac, unit_user, other_unit_user, platform_admin,
                                                          unit_client, admin_client_):
    from iodp.organizations import selectors

    saved_membership(unit_user, iupac, relation="member")
    approved_membership(other_unit_user, platform_admin, iupac, relation="member")
    assert selectors.member_unit_count(iupac) == 1
    assert selectors.unit_membership_counts(unit_user.unit) == {}
    assert unit_client.get(reverse("organizations:list"), {"membership": "member"}).context["page"].paginator.count == 0
    row = admin_client_.get(reverse("organizations:list")).context["page"][0]
    assert row.member_unit_count == 1
    mine = unit_client.get(reverse("organizations:membership_list")).context["page"]
    assert [m.status for m in mine] == ["draft"]  # the unit's own list shows every state


def test_standalone_conferences_belong_to_their_unit(unit_client, other_client, unit_user, db):
    data = {"name": "国际青年科学家论坛", "year": "2025", "city": "杭州", "country": "", "hosted_in_china": "on",
            "host_unit_name": "甲省科学技术协会"}
    assert unit_client.post(reverse("organizations:conference_create"), data).status_code == 302
    conference = Conference.objects.get()
    assert conference.unit == unit_user.unit and conference.organization is None
    assert "国际青年科学家论坛" in unit_client.get(reverse("organizations:conference_list")).content.decode()
    assert "国际青年科学家论坛" not in other_client.get(reverse("organizations:conference_list")).content.decode()
    assert other_client.get(reverse("organizations:conference_edit", args=[conference.pk])).status_code == 404
    assert other_client.post(reverse("organizations:conference_delete", args=[conference.pk])).status_code == 404
    bad = dict(data, year="1200", hosted_in_china="")
    response = unit_client.post(reverse("organizations:conference_create"), bad)
    errors = response.context["form"].errors
    assert "year" in errors and "仅在华举办的会议需要填写承办单位" in str(errors)
    assert Conference.objects.count() == 1


def test_demo_loader_creates_the_sample_registry(platform_admin):
    from iodp.core.demo import load_demo
    from iodp.organizations.models import Organization

    assert load_demo(platform_admin)
    assert Organization.objects.official().count() == 25
    iupac = Organization.objects.get(acronym="IUPAC")
    assert iupac.hq_country.code == "US" and iupac.disciplines.get().code == "150"
    ccs = Membership.objects.official().filter(unit__users__username="ccs")
    assert ccs.filter(relation="member", organization=iupac).exists() and ccs.filter(relation="planned").exists()
    # one plan is left for the platform admin to review
    assert Membership.objects.filter(unit__users__username="zju_kx", relation="planned", status="submitted").exists()


def test_a_stale_membership_form_does_not_overwrite_a_newer_save(iupac, unit_client, unit_user):
    """Two tabs: the second save, loaded at version 1, is refused and shows what the first one changed."""
    unit_client.post(reverse("organizations:plan_create"), plan_data(iupac, action="save"))
    membership = Membership.objects.get()
    edit = reverse("organizations:membership_edit", args=[membership.pk])
    assert 'name="version" value="1"' in unit_client.get(edit).content.decode()
    first = unit_client.post(edit, plan_data(iupac, reason="第一个窗口的理由", version="1", action="save"))
    assert first.status_code == 302
    second = unit_client.post(edit, plan_data(iupac, reason="第二个窗口的理由", version="1", action="save"))
    html = second.content.decode()
    assert second.status_code == 200 and 'data-testid="conflict"' in html and "第一个窗口的理由" in html
    membership.refresh_from_db()
    assert membership.reason == "第一个窗口的理由" and membership.version == 2
    stale_delete = unit_client.post(reverse("organizations:membership_delete", args=[membership.pk]),
                                    {"version": "1"})
    assert stale_delete.status_code == 302 and Membership.objects.filter(pk=membership.pk).exists()


def test_membership_and_conference_services_require_a_version_to_update(iupac, unit_user, platform_admin):
    from iodp.core import workflow_services as wf
    from iodp.core.versioning import ANY_VERSION, MissingVersion, RecordConflict
    from iodp.organizations import services

    membership = saved_membership(unit_user, iupac, relation="member", since_year=2020)
    membership.since_year = 2021
    with pytest.raises(MissingVersion):
        wf.record_save(record=membership, by=unit_user)
    with pytest.raises(MissingVersion):
        services.membership_delete(membership=membership, by=unit_user, expected_version=None)
    wf.record_save(record=membership, by=unit_user, expected_version=1)
    with pytest.raises(RecordConflict):
        wf.record_save(record=membership, by=unit_user, expected_version=1)
    approved = approved_membership(unit_user, platform_admin, approved_organization(
        platform_admin, platform_admin, name_zh="国际天文学联合会", name_en="International Astronomical Union",
        acronym="IAU"), relation="member")
    with pytest.raises(MissingVersion):
        services.membership_delete(membership=approved, by=unit_user, expected_version=None)
    with pytest.raises(RecordConflict):
        services.membership_delete(membership=approved, by=unit_user, expected_version=approved.version - 1)
    conference = services.conference_save(conference=Conference(name="国际论坛", year=2025), by=unit_user)
    assert conference.version == 1
    conference.city = "杭州"
    with pytest.raises(MissingVersion):
        services.conference_save(conference=conference, by=unit_user)
    conference = services.conference_save(conference=conference, by=unit_user, expected_version=1)
    with pytest.raises(RecordConflict) as conflict:
        services.conference_delete(conference=conference, by=unit_user, expected_version=1)
    assert {"field": "city", "label": "举办城市", "before": "", "after": "杭州"} in conflict.value.changes
    services.conference_delete(conference=conference, by=unit_user, expected_version=ANY_VERSION)
    assert not Conference.objects.exists()


def field_block(html: str, name: str) -> str:
    """The grid cell of one field: from its data-field marker to the next field's."""
    start = html.index(f'data-field="{name}"')
    end = html.find('data-field="', start + 1)
    return html[start:end if end != -1 else None]


def test_the_plan_form_hints_sit_with_their_own_field_and_are_attached_to_it(unit_client):
    html = unit_client.get(reverse("organizations:plan_create")).content.decode()
    organization = field_block(html, "organization")
    assert "请务必先填写任职的国际组织信息" not in html  # the expert positions' hint has no place here
    assert 'data-testid="create-for-plan"' in organization and "保存后会回到本页继续填写" in organization
    assert 'aria-describedby="id_organization_helptext"' in organization
    assert 'id="id_organization_helptext"' in organization
    target = field_block(html, "target_date")
    assert 'aria-describedby="id_target_date_helptext"' in target and 'id="id_target_date_helptext"' in target
    for member_only in ("since_year", "dues_amount", "dues_currency"):
        assert f'data-field="{member_only}"' not in html  # a plan has not joined yet: no year joined, no dues


def test_the_membership_form_says_which_fields_belong_to_which_status(unit_client):
    html = unit_client.get(reverse("organizations:membership_create")).content.decode()
    assert "请务必先填写任职的国际组织信息" not in html
    for name, hint in (("since_year", "已加入时填写"), ("target_date", "计划加入时填写"), ("reason", "计划加入时填写")):
        block = field_block(html, name)
        assert hint in block, name
        assert f'aria-describedby="id_{name}_helptext"' in block and f'id="id_{name}_helptext"' in block


def test_the_expert_position_picker_keeps_its_own_hint(unit_client):
    html = unit_client.get(reverse("experts:create")).content.decode()
    assert "请务必先填写任职的国际组织信息" in html
