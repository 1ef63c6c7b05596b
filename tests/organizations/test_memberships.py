"""会员关系: a unit's membership or plan; visible to and changed by that unit only."""

import datetime

import pytest
from django.urls import reverse

from iodp.core.models import ChangeLog
from iodp.organizations.models import Conference, Membership

from .factories import approved_organization, draft_organization

pytestmark = pytest.mark.django_db
NEXT_YEAR = datetime.date.today().replace(year=datetime.date.today().year + 1, month=6, day=30)


@pytest.fixture
def iupac(unit_user, platform_admin):
    return approved_organization(platform_admin, platform_admin)


def plan_data(org, **overrides):
    data = {"organization": org.pk, "status": "planned", "form": "institutional", "since_year": "",
            "dues_amount": "", "dues_currency": "", "target_date": NEXT_YEAR.isoformat(),
            "reason": "参与国际标准制定", "notes": ""}
    data.update(overrides)
    return data


def test_planned_join_is_recorded_for_the_unit(iupac, unit_client, unit_user):
    response = unit_client.post(reverse("organizations:plan_create"), plan_data(iupac))
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.member_unit == unit_user.unit and membership.status == "planned"
    assert membership.target_date == NEXT_YEAR and membership.created_by == unit_user
    assert ChangeLog.objects.filter(action="create", object_id=membership.pk).exists()
    page = unit_client.get(iupac.get_absolute_url()).content.decode()
    assert "计划加入" in page and "参与国际标准制定" in page


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
    response = unit_client.post(reverse("organizations:membership_create"), plan_data(iupac, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Membership.objects.exists()


def test_a_plan_for_an_organization_not_in_the_registry_creates_it_first(unit_client, unit_user):
    from .test_views import form_data

    response = unit_client.post(reverse("organizations:create") + "?plan=1", form_data(action="save"))
    org = draft_organization.__globals__["Organization"].objects.get()
    assert response.url == reverse("organizations:plan_create") + f"?organization={org.pk}"
    page = unit_client.get(response.url).content.decode()
    assert f'value="{org.pk}"' in page and "国际测试科学联合会（IUTS）" in page
    response = unit_client.post(reverse("organizations:plan_create"), plan_data(org))
    assert response.status_code == 302 and Membership.objects.get().organization == org


def test_one_membership_per_unit_and_organization(iupac, unit_client):
    unit_client.post(reverse("organizations:plan_create"), plan_data(iupac))
    response = unit_client.post(reverse("organizations:membership_create"),
                                plan_data(iupac, status="member", target_date="", since_year="2010", reason=""))
    assert response.status_code == 200
    assert "本单位已登记与该组织的会员关系" in response.content.decode()
    assert Membership.objects.count() == 1


def test_memberships_are_isolated_between_units(iupac, unit_user, other_unit_user, unit_client, other_client):
    mine = Membership.objects.create(organization=iupac, member_unit=unit_user.unit, status="member",
                                     dues_amount=100, dues_currency="USD", notes="甲单位的备注")
    page = other_client.get(iupac.get_absolute_url()).content.decode()
    assert "甲单位的备注" not in page and "共 1 个单位已加入" in page
    assert "甲省科学技术协会" not in other_client.get(reverse("organizations:membership_list")).content.decode()
    assert other_client.get(reverse("organizations:membership_edit", args=[mine.pk])).status_code == 404
    response = other_client.post(reverse("organizations:membership_edit", args=[mine.pk]),
                                 plan_data(iupac, status="member", target_date="", reason="", notes="改了"))
    assert response.status_code == 404
    assert other_client.post(reverse("organizations:membership_delete", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.notes == "甲单位的备注"
    assert "甲单位的备注" in unit_client.get(iupac.get_absolute_url()).content.decode()


def test_a_unit_cannot_join_another_units_draft(unit_client, other_unit_user):
    draft = draft_organization(other_unit_user, name_zh="乙草稿", acronym="BD")
    response = unit_client.post(reverse("organizations:plan_create"), plan_data(draft))
    assert response.status_code == 200 and not Membership.objects.exists()


def test_owner_edits_and_deletes_its_membership(iupac, unit_client, unit_user):
    unit_client.post(reverse("organizations:plan_create"), plan_data(iupac))
    membership = Membership.objects.get()
    response = unit_client.post(reverse("organizations:membership_edit", args=[membership.pk]), plan_data(
        iupac, status="member", target_date="", reason="", since_year="2024", dues_amount="500",
        dues_currency="eur", version="1"))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "member" and membership.dues_currency == "EUR" and membership.since_year == 2024
    assert membership.version == 2
    assert unit_client.post(reverse("organizations:membership_delete", args=[membership.pk]),
                            {"version": "2"}).status_code == 302
    assert not Membership.objects.exists()
    assert ChangeLog.objects.filter(action="delete").exists()


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
    ccs = Membership.objects.filter(member_unit__users__username="ccs")
    assert ccs.filter(status="member", organization=iupac).exists() and ccs.filter(status="planned").exists()
    assert Membership.objects.filter(member_unit__users__username="zju_kx", status="planned").exists()


def test_a_stale_membership_form_does_not_overwrite_a_newer_save(iupac, unit_client, unit_user):
    """Two tabs: the second save, loaded at version 1, is refused and shows what the first one changed."""
    unit_client.post(reverse("organizations:plan_create"), plan_data(iupac))
    membership = Membership.objects.get()
    edit = reverse("organizations:membership_edit", args=[membership.pk])
    assert 'name="version" value="1"' in unit_client.get(edit).content.decode()
    first = unit_client.post(edit, plan_data(iupac, reason="第一个窗口的理由", version="1"))
    assert first.status_code == 302
    second = unit_client.post(edit, plan_data(iupac, reason="第二个窗口的理由", version="1"))
    html = second.content.decode()
    assert second.status_code == 200 and 'data-testid="conflict"' in html and "第一个窗口的理由" in html
    membership.refresh_from_db()
    assert membership.reason == "第一个窗口的理由" and membership.version == 2
    stale_delete = unit_client.post(reverse("organizations:membership_delete", args=[membership.pk]),
                                    {"version": "1"})
    assert stale_delete.status_code == 302 and Membership.objects.filter(pk=membership.pk).exists()


def test_membership_and_conference_services_require_a_version_to_update(iupac, unit_user):
    from iodp.core.versioning import ANY_VERSION, MissingVersion, RecordConflict
    from iodp.organizations import services

    membership = services.membership_save(membership=Membership(
        organization=iupac, status="member", since_year=2020), by=unit_user)
    membership.since_year = 2021
    with pytest.raises(MissingVersion):
        services.membership_save(membership=membership, by=unit_user)
    with pytest.raises(MissingVersion):
        services.membership_delete(membership=membership, by=unit_user, expected_version=None)
    services.membership_save(membership=membership, by=unit_user, expected_version=1)
    with pytest.raises(RecordConflict):
        services.membership_save(membership=membership, by=unit_user, expected_version=1)
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
