"""A hand-built world where every figure of the dashboard is known (see `world`'s docstring)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.workflow import RecordStatus
from iodp.experts.demo import demo_id_number
from iodp.experts.models import ExpertKind, Position
from iodp.insights import progress
from iodp.organizations.models import Category, Conference, MembershipRelation, Nature, Organization
from iodp.reference.models import Country, Discipline

from ..conftest import make_unit_user, on_the_day
from ..experts.conftest import make_expert
from ..organizations.factories import (
    approved_membership,
    approved_organization,
    draft_organization,
    saved_membership,
)

TODAY = clock.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)
#: a day when the post that ended yesterday was still held
BEFORE_YESTERDAY = TODAY - datetime.timedelta(days=10)


@pytest.fixture(autouse=True)
def _on_the_day_of_import():
    """These dates were worked out at import: every test here runs on that day."""
    with on_the_day(TODAY):
        yield


def organization(name, acronym, *, category, nature=Nature.GLOBAL, hq="US", disciplines=("150",)):
    org = Organization.objects.create(name_zh=name, name_en=f"Organization {acronym}", acronym=acronym,
                                      category=category, nature=nature, hq_country=Country.objects.get(code=hq),
                                      status=RecordStatus.APPROVED, approved_at=timezone.now())
    org.disciplines.set(Discipline.objects.filter(code__in=disciplines))
    return org


def post(expert, org, *, role, level, start=datetime.date(2022, 1, 1), end=None, status="current"):
    return Position.objects.create(expert=expert, organization=org, role=role, level=level, term_start=start,
                                   term_end=end, status=status)


NAMES = {1: "赵一鸣", 2: "钱二青", 3: "孙三立", 4: "李四海", 5: "周五岳", 6: "吴六合"}


def serving_expert(user, org, number, *, approve_by=None, **values):
    """A serving expert with (at first) the builder's current 执委 post in `org`; its posts are then set by hand."""
    expert = make_expert(user, organization=org, approve_by=approve_by, name_zh=values.pop("name_zh", None) or NAMES[number],
                         id_number=demo_id_number("110105", datetime.date(1980, 6, 15), f"{number:02d}1"),
                         **values)
    Position.objects.filter(expert=expert).delete()
    return expert


@pytest.fixture
def world(platform_admin, unit_user, other_unit_user):
    """Unit 甲 (unit_user) and unit 乙 (other_unit_user), six approved organizations:

    - O1 核心类, 国际间, HQ China, joined by 甲 since 2020; 甲's expert E1 holds two posts in it: 主席 and 执委;
    - O2 核心类, 区域间, joined by 乙; 甲's E2 held 执委 there until yesterday; 乙's E6 holds a 秘书处 post;
    - O3 重要类: no membership, joined only through 甲's E3, who holds a 中层 post in it;
    - O4 重要类: 甲 plans to join; 甲's E4 holds a 副主席 post in it, but E4 was returned for correction;
    - O5 一般类: 甲's membership returned for correction (not joined);
    - O6 一般类: 乙's membership submitted, not yet approved; 甲's E5 (submitted) is its 副主席.
    Reserve experts: 甲's R1 (目标决策层, eligible), 乙's R2 (目标中层, over the age limit).
    Conferences hosted in China: O1's in 2024 and 2025, 甲's own in 2025; one abroad; one of 2099 is not yet.
    """
    admin, a, b = platform_admin, unit_user, other_unit_user
    o1 = organization("国际一号组织", "OA", category=Category.CORE, hq="CN", disciplines=("150", "110"))
    o2 = organization("国际二号组织", "OB", category=Category.CORE, nature=Nature.REGIONAL)
    o3 = organization("国际三号组织", "OC", category=Category.IMPORTANT)
    o4 = organization("国际四号组织", "OD", category=Category.IMPORTANT)
    o5 = organization("国际五号组织", "OE", category=Category.GENERAL, hq="FR")
    o6 = organization("国际六号组织", "OF", category=Category.GENERAL, hq="FR")

    approved_membership(a, admin, o1, since_year=2020)
    approved_membership(b, admin, o2, form="individual")
    approved_membership(a, admin, o4, relation=MembershipRelation.PLANNED, target_date=TODAY + datetime.timedelta(
        days=30), reason="学科发展需要")
    draft = saved_membership(a, o5)
    returned = wf.record_submit(record=draft, by=a, expected_version=draft.version)
    wf.record_return(record=returned, by=admin, reason="请核对加入年份")
    draft = saved_membership(b, o6)
    wf.record_submit(record=draft, by=b, expected_version=draft.version)

    e1 = serving_expert(a, o1, 1, approve_by=admin)
    post(e1, o1, role="president", level="leadership", end=TODAY + datetime.timedelta(days=200))
    post(e1, o1, role="executive_member", level="leadership")
    e2 = serving_expert(a, o2, 2, approve_by=admin)
    post(e2, o2, role="executive_member", level="leadership", start=datetime.date(2020, 1, 1), end=YESTERDAY,
         status="former")
    e3 = serving_expert(a, o3, 3, approve_by=admin)
    post(e3, o3, role="member", level="mid_level", start=datetime.date(2023, 1, 1))
    e4 = serving_expert(a, o4, 4, submit=True)
    wf.record_return(record=e4, by=admin, reason="请补充任期")
    post(e4, o4, role="vice_president", level="leadership")
    e5 = serving_expert(a, o6, 5, submit=True)
    post(e5, o6, role="vice_president", level="leadership")
    e6 = serving_expert(b, o2, 6, approve_by=admin)
    post(e6, o2, role="other", level="secretariat")
    r1 = make_expert(a, kind=ExpertKind.RESERVE, target_leadership=True, approve_by=admin, name_zh="李后备",
                     id_number=demo_id_number("110105", datetime.date(1980, 6, 15), "071"))
    r2 = make_expert(b, kind=ExpertKind.RESERVE, target_mid_level=True, approve_by=admin, name_zh="王后备",
                     birth_date=datetime.date(1960, 3, 1),
                     id_number=demo_id_number("110105", datetime.date(1960, 3, 1), "081"), languages=(("fr", "fluent"),))

    Conference.objects.create(organization=o1, name="2024 年会", year=2024, hosted_in_china=True)
    Conference.objects.create(organization=o1, name="2025 年会", year=2025, hosted_in_china=True)
    Conference.objects.create(unit=a.unit, name="2025 研讨会", year=2025, hosted_in_china=True)
    Conference.objects.create(organization=o2, name="2025 海外年会", year=2025, hosted_in_china=False)
    Conference.objects.create(organization=o1, name="2099 年会", year=2099, hosted_in_china=True)
    return SimpleNamespace(o1=o1, o2=o2, o3=o3, o4=o4, o5=o5, o6=o6, e1=e1, e2=e2, e3=e3, e4=e4, e5=e5, e6=e6,
                           r1=r1, r2=r2, a=a, b=b)


# --- 填报进度 ------------------------------------------------------------------------------------------------

def campaign(admin, *, deadline_in_days=30, **values):
    values.setdefault("name", "2022年国际组织数据填报")
    return progress.campaign_create(by=admin, starts_on=TODAY - datetime.timedelta(days=10),
                                    deadline=TODAY + datetime.timedelta(days=deadline_in_days), **values)


@pytest.fixture
def progress_world(platform_admin, unit_user, other_unit_user, pending_user):
    """甲 (unit_user): one draft organization; 乙 (other_unit_user): one organization returned for correction;
    丙 (late): one organization submitted and approved today; 丁 (idle): nothing; a pending unit: not listed."""
    late = make_unit_user("unit_c", "丙省科学技术协会", approve_by=platform_admin, province="320000")
    idle = make_unit_user("unit_d", "丁学会", approve_by=platform_admin, unit_type="national_society")
    draft_organization(unit_user, name_zh="甲的组织", name_en="Organization A", acronym="OA")
    returned = draft_organization(other_unit_user, name_zh="乙的组织", name_en="Organization B", acronym="OB")
    returned = wf.record_submit(record=returned, by=other_unit_user, expected_version=returned.version)
    wf.record_return(record=returned, by=platform_admin, reason="请补充")
    approved_organization(late, platform_admin, name_zh="丙的组织", name_en="Organization C", acronym="OC")
    return SimpleNamespace(admin=platform_admin, a=unit_user.unit, b=other_unit_user.unit, late=late.unit,
                           idle=idle.unit, pending=pending_user.unit)
