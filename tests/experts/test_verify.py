"""核对 of experts: "若已任职专家和后备专家信息已存在，请核对信息是否准确". The owning unit (or the platform admin)
confirms an approved record is still accurate without changing it; the dated mark shows in the list, and the
platform admin lists the experts not checked since a date."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from iodp.core.models import ChangeAction, ChangeLog
from iodp.experts import services
from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert

from .conftest import BORN, make_expert

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def on(day: datetime.date):
    """Travel to noon of `day` in the platform's time zone."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12), SHANGHAI), tick=False)


# --- service ---------------------------------------------------------------------------------------------------

def test_the_owner_verifies_an_approved_expert_without_changing_it(unit_user, platform_admin, organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    version = expert.version
    with on(datetime.date(2026, 2, 3)):
        services.expert_verify(expert=expert, by=unit_user, comment="与本人核实")
    expert = Expert.objects.get(pk=expert.pk)
    assert expert.last_verified_by == unit_user
    assert expert.last_verified_at.astimezone(SHANGHAI).date() == datetime.date(2026, 2, 3)
    assert expert.version == version and expert.employer == "北京大学"  # nothing else changed
    entry = ChangeLog.objects.get(object_id=expert.pk, content_type__model="expert", action=ChangeAction.VERIFY)
    assert entry.actor == unit_user and entry.unit == unit_user.unit and entry.version == version
    assert "与本人核实" in entry.comment


def test_the_platform_admin_may_verify(unit_user, platform_admin, organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    services.expert_verify(expert=expert, by=platform_admin)
    assert Expert.objects.get(pk=expert.pk).last_verified_by == platform_admin


def test_another_unit_may_not_verify(unit_user, other_unit_user, platform_admin, organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    with pytest.raises(PermissionDenied):
        services.expert_verify(expert=expert, by=other_unit_user)
    assert Expert.objects.get(pk=expert.pk).last_verified_at is None
    assert not ChangeLog.objects.filter(action=ChangeAction.VERIFY).exists()


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submitted"])
def test_only_approved_records_are_verified(unit_user, organization, submit):
    expert = make_expert(unit_user, organization=organization, submit=submit)
    with pytest.raises(ValidationError) as error:
        services.expert_verify(expert=expert, by=unit_user)
    assert "提交" in " ".join(error.value.messages)
    assert Expert.objects.get(pk=expert.pk).last_verified_at is None


# --- pages -----------------------------------------------------------------------------------------------------

def test_the_detail_page_has_the_button_and_it_leaves_a_dated_mark(unit_client, unit_user, platform_admin,
                                                                   organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    url = reverse("experts:verify", args=[expert.pk])
    detail = unit_client.get(expert.get_absolute_url()).content.decode()
    assert "核对无误" in detail and f'action="{url}"' in detail

    with on(datetime.date(2026, 2, 3)):
        response = unit_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == expert.get_absolute_url()
    page = response.content.decode()
    assert "已核对" in page and "2026-02-03" in page

    listing = unit_client.get(reverse("experts:list")).content.decode()
    assert "最近核对" in listing and "2026-02-03" in listing and "unit_a" in listing


def test_a_draft_has_no_button(unit_client, unit_user):
    expert = make_expert(unit_user)
    assert "核对无误" not in unit_client.get(expert.get_absolute_url()).content.decode()


def test_another_unit_gets_404_and_anonymous_the_login(client, other_client, unit_user, platform_admin,
                                                      organization):
    expert = make_expert(unit_user, organization=organization, approve_by=platform_admin)
    url = reverse("experts:verify", args=[expert.pk])
    assert other_client.post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert Expert.objects.get(pk=expert.pk).last_verified_at is None


def test_the_platform_admin_lists_experts_not_checked_since_a_date(admin_client_, unit_client, unit_user,
                                                                   other_unit_user, platform_admin, organization):
    checked_last_year = make_expert(unit_user, organization=organization, approve_by=platform_admin,
                                    name_zh="去年核对",
                                    id_number=demo_id_number("110105", BORN, "015"))
    checked_this_year = make_expert(unit_user, organization=organization, approve_by=platform_admin,
                                    name_zh="今年核对",
                                    id_number=demo_id_number("110105", BORN, "017"))
    never_checked = make_expert(other_unit_user, organization=organization, approve_by=platform_admin,
                                name_zh="从未核对",
                                    id_number=demo_id_number("110105", BORN, "019"))
    with on(datetime.date(2025, 12, 31)):
        services.expert_verify(expert=checked_last_year, by=unit_user)
    with on(datetime.date(2026, 1, 1)):
        services.expert_verify(expert=checked_this_year, by=unit_user)

    response = admin_client_.get(reverse("experts:list"), {"not_verified_since": "2026-01-01"})
    listed = {row["expert"].pk for row in response.context["rows"]}
    assert listed == {checked_last_year.pk, never_checked.pk}
    page = response.content.decode()
    assert "未核对自" in page and 'name="not_verified_since"' in page and "2025-12-31" in page

    # A unit admin has no such filter (the list is its own experts anyway): the parameter is ignored.
    unit_rows = unit_client.get(reverse("experts:list"), {"not_verified_since": "2026-01-01"}).context["rows"]
    assert {row["expert"].pk for row in unit_rows} == {checked_last_year.pk, checked_this_year.pk}
