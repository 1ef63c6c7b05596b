"""The cross-unit duplicate check answers no more than "another unit has recorded this person": no name, no
unit; interactive checks are throttled per user and every check is audited. Service level and over HTTP."""

from django.test import override_settings
from django.urls import reverse

from iodp.core.models import ChangeAction, ChangeLog
from iodp.experts import services
from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert

from ..conftest import make_unit_user
from .conftest import BORN, ID_1980, make_expert
from .test_id_privacy import edit_post
from .test_views import MASKED_ID, expert_post


def id_checks():
    return ChangeLog.objects.filter(action=ChangeAction.ID_CHECK)


# --- (2) the cross-unit duplicate check: only "exists", throttled, audited --------------------------------

def test_the_check_answers_only_that_another_unit_has_the_number(unit_user, other_unit_user):
    make_expert(other_unit_user, name_zh="张三", employer="乙学会机密单位")
    mine = make_expert(unit_user, name_zh="张叁")
    check = services.expert_duplicate_check(expert=mine, by=unit_user)
    (duplicate,) = check.duplicates
    assert duplicate.expert is None and duplicate.unit_name == "" and duplicate.reason == "证件号码相同"
    assert check.refused == ""


def test_the_check_does_not_tell_how_many_units_have_the_person(unit_user, other_unit_user, platform_admin):
    third = make_unit_user("unit_c", "丙学会", approve_by=platform_admin)
    make_expert(other_unit_user)
    make_expert(third)
    mine = make_expert(unit_user)
    (duplicate,) = services.expert_duplicate_check(expert=mine, by=unit_user).duplicates
    assert duplicate.expert is None and duplicate.reason == "证件号码相同"


def test_every_check_is_audited_with_the_masked_number_only(unit_user, other_unit_user):
    make_expert(other_unit_user)
    mine = make_expert(unit_user)
    services.expert_duplicate_check(expert=mine, by=unit_user)
    entry = id_checks().get()
    assert entry.actor == unit_user and entry.object_id == mine.pk and entry.unit == unit_user.unit
    assert MASKED_ID in entry.comment and ID_1980 not in str(entry.comment) + str(entry.snapshot)
    assert "其他单位已录入" in entry.comment


@override_settings(IODP_ID_CHECK_LIMIT=3)
def test_interactive_checks_are_throttled_per_user(unit_user, other_unit_user):
    make_expert(other_unit_user)
    experts = [make_expert(unit_user, id_number=demo_id_number("110105", BORN, f"0{i}1"), name_zh=f"专家{i}")
               for i in range(1, 5)]
    make_expert(unit_user, name_zh="周建华")  # same as the other unit's: ID_1980
    for expert in experts[:3]:
        assert services.expert_duplicate_check(expert=expert, by=unit_user).refused == ""
    mine = Expert.objects.get(unit=unit_user.unit, id_number=ID_1980)
    refused = services.expert_duplicate_check(expert=mine, by=unit_user)
    assert "每 60 分钟最多核对 3 位专家" in refused.refused and refused.duplicates == []
    assert id_checks().count() == 3  # a refused check looked nothing up
    theirs = Expert.objects.get(unit=other_unit_user.unit)
    assert services.expert_duplicate_check(expert=theirs, by=other_unit_user).refused == ""  # per user


@override_settings(IODP_ID_CHECK_LIMIT=1)
def test_checking_the_same_number_again_does_not_count_but_is_audited(unit_user):
    expert = make_expert(unit_user)
    for _ in range(3):
        assert services.expert_duplicate_check(expert=expert, by=unit_user).refused == ""
    assert id_checks().count() == 3


@override_settings(IODP_ID_CHECK_LIMIT=1)
def test_a_batch_caller_is_audited_but_not_throttled(unit_user, other_unit_user):
    make_expert(other_unit_user)
    experts = [make_expert(unit_user, id_number=demo_id_number("110105", BORN, f"0{i}1"), name_zh=f"专家{i}")
               for i in range(1, 4)]
    for expert in experts:
        assert services.expert_duplicate_check(expert=expert, by=unit_user, batch=True).refused == ""
    assert id_checks().count() == 3
    assert "批量" in id_checks().first().comment


def test_own_units_duplicates_are_shown_in_full_and_the_admin_is_not_throttled(unit_user, platform_admin):
    first = make_expert(unit_user)
    second = make_expert(unit_user)
    (own,) = services.expert_duplicate_check(expert=second, by=unit_user).duplicates
    assert own.expert == first
    with override_settings(IODP_ID_CHECK_LIMIT=0):
        (seen,) = services.expert_duplicate_check(expert=second, by=platform_admin).duplicates
    assert seen.expert == first


def test_saving_writes_one_audited_check(unit_client, unit_user, other_unit_user):
    make_expert(other_unit_user, employer="乙学会机密单位")
    response = unit_client.post(reverse("experts:create"), expert_post(), follow=True)
    html = response.content.decode()
    assert "该专家（证件号码相同）已由其他单位录入" in html
    assert other_unit_user.unit.name not in html and "乙学会机密单位" not in html
    assert id_checks().get().object_id == Expert.objects.get(unit=unit_user.unit).pk


@override_settings(IODP_ID_CHECK_LIMIT=1)
def test_saving_past_the_limit_saves_but_tells_nothing_about_other_units(unit_client, unit_user, other_unit_user):
    make_expert(other_unit_user)
    unit_client.post(reverse("experts:create"),
                     expert_post(id_number=demo_id_number("110105", BORN, "001"), name_zh="李四"))
    response = unit_client.post(reverse("experts:create"), expert_post(), follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and Expert.objects.filter(unit=unit_user.unit).count() == 2
    assert "已达上限" in html and "该专家（证件号码相同）" not in html
    assert id_checks().count() == 1


@override_settings(IODP_ID_CHECK_LIMIT=0)
def test_the_expert_page_does_not_answer_for_other_units(unit_client, unit_user, other_unit_user):
    """Else a number saved past the limit could be looked up unthrottled by opening the page."""
    make_expert(other_unit_user)
    mine = make_expert(unit_user)
    html = unit_client.get(mine.get_absolute_url()).content.decode()
    assert "其他单位录入" not in html and not id_checks().exists()


def test_anonymous_and_another_unit_get_nothing(client, unit_user, other_client):
    mine = make_expert(unit_user)
    response = client.post(reverse("experts:create"), expert_post())
    assert response.status_code == 302 and "/login" in response.url
    response = other_client.post(mine.get_edit_url(), edit_post(mine, id_number=ID_1980, birth_date="1980-06-15"))
    assert response.status_code == 404
    assert not id_checks().exists() and Expert.objects.count() == 1


def test_the_limit_is_a_setting_with_a_default(settings):
    assert settings.IODP_ID_CHECK_LIMIT == 30 and settings.IODP_ID_CHECK_WINDOW_MINUTES == 60
