"""Level and role together: the list's shortcut for a role held at one level only finds exactly the experts the
general test finds (a level held or aimed at, and the role held)."""

import datetime

import pytest

from iodp.core import clock
from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert, ExpertKind, Level, Position, Role
from iodp.experts.selectors import filter_experts, role_held_at_other_levels

from .conftest import BORN, approved_organization, make_expert


def post(expert, organization, role, level):
    Position.objects.create(expert=expert, organization=organization, role=role, level=level,
                            term_start=datetime.date(2022, 1, 1),
                            term_end=clock.today() + datetime.timedelta(days=200), status="current")


@pytest.fixture
def experts(unit_user):
    """Presidents only at the leadership level; members at the leadership and the mid level; a reserve expert
    aiming at the leadership level who is a member at the mid level."""
    organization = approved_organization()
    made = {}
    for i, (name, kind, target, posts) in enumerate([
            ("主席甲", ExpertKind.SERVING, None, [("president", "leadership")]),
            ("委员乙", ExpertKind.SERVING, None, [("member", "leadership")]),
            ("委员丙", ExpertKind.SERVING, None, [("member", "mid_level")]),
            ("后备丁", ExpertKind.RESERVE, "leadership", [("member", "mid_level")]),
            ("秘书戊", ExpertKind.SERVING, None, [("secretary_general", "secretariat"), ("other", "mid_level")]),
    ]):
        overrides = {f"target_{target}": True} if target else {}
        expert = make_expert(unit_user, name_zh=name, kind=kind, languages=(),
                             id_number=demo_id_number("110105", BORN, f"{2 * i + 11:03d}"), **overrides)
        for role, level in posts:
            post(expert, organization, role, level)
        made[name] = expert
    return made


def names(queryset) -> set[str]:
    return set(queryset.values_list("name_zh", flat=True))


def test_a_role_held_at_one_level_only_is_not_held_at_others(experts):
    assert not role_held_at_other_levels("president", "leadership")
    assert role_held_at_other_levels("president", "mid_level")
    assert role_held_at_other_levels("member", "leadership")
    assert role_held_at_other_levels("member", "mid_level")
    assert not role_held_at_other_levels("vice_president", "leadership")  # nobody holds it


def test_presidents_at_the_leadership_level(experts):
    assert names(filter_experts(Expert.objects.all(), level="leadership", role="president")) == {"主席甲"}


def test_members_at_the_leadership_level_include_a_reserve_expert_aiming_at_it(experts):
    # 委员丙 is a member, but at the mid level only and aims at no level.
    assert names(filter_experts(Expert.objects.all(), level="leadership", role="member")) == {"委员乙", "后备丁"}


@pytest.mark.parametrize("level", Level.values)
@pytest.mark.parametrize("role", Role.values)
def test_every_level_and_role_finds_who_holds_or_aims_at_the_level_and_holds_the_role(experts, level, role):
    expected = {expert.name_zh for expert in experts.values()
                if (expert.positions.filter(level=level).exists() or getattr(expert, f"target_{level}"))
                and expert.positions.filter(role=role).exists()}
    assert names(filter_experts(Expert.objects.all(), level=level, role=role)) == expected
