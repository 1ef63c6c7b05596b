"""Fixtures and builders of the experts tests: organizations in the registry and experts built through the
real workflow services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.workflow import RecordStatus
from iodp.experts.demo import demo_id_number
from iodp.experts.models import Expert, ExpertKind, ExpertLanguage, Position
from iodp.organizations.models import Organization
from iodp.reference.models import Country

BORN = datetime.date(1980, 6, 15)
ID_1980 = demo_id_number("110105", BORN, "013")  # odd 17th digit: male


def years_ago(years: int, today: datetime.date | None = None) -> datetime.date:
    today = today or clock.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def approved_organization(name_zh="国际纯粹与应用化学联合会", name_en="International Union of Pure and Applied Chemistry",
                          acronym="IUPAC") -> Organization:
    return Organization.objects.create(name_zh=name_zh, name_en=name_en, acronym=acronym,
                                       status=RecordStatus.APPROVED, approved_at=timezone.now())


@pytest.fixture
def organization(db):
    return approved_organization()


def expert_values(unit, **overrides) -> dict:
    values = dict(unit=unit, kind=ExpertKind.SERVING, name_zh="周建华", gender="male", birth_date=BORN,
                  nationality=Country.objects.get(code="CN"), id_type="resident_id", id_number=ID_1980,
                  phone="+8613800138000", email="zhangsan@example.cn", employer="北京大学", category="scholar",
                  foreign_affairs_years=Decimal("3"))
    values.update(overrides)
    return values


def make_expert(user, *, organization=None, languages=(("en", "working"),), position_status="current",
                approve_by=None, submit=False, **overrides) -> Expert:
    """A saved expert of `user`'s unit with languages and (given an organization) one position."""
    expert = Expert(**expert_values(user.unit, **overrides))

    def save_related(saved):
        for language, proficiency in languages:
            ExpertLanguage.objects.create(expert=saved, language=language, proficiency=proficiency)
        if organization is not None:
            Position.objects.create(expert=saved, organization=organization, role="executive_member",
                                    level="leadership", term_start=datetime.date(2022, 1, 1),
                                    term_end=clock.today() + datetime.timedelta(days=200),
                                    status=position_status)

    expert = wf.record_save(record=expert, by=user, save_related=save_related)
    if submit or approve_by is not None:
        expert = wf.record_submit(record=expert, by=user, expected_version=expert.version)
    if approve_by is not None:
        expert = wf.record_approve(record=expert, by=approve_by)
    return expert
