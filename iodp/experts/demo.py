"""Demo experts for `make run`: serving and reserve experts of the demo units, through the real workflow."""

import datetime
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.demo import register_demo_loader
from iodp.core.workflow import RecordStatus
from iodp.organizations.models import Organization
from iodp.reference.models import Country, Discipline

from .models import Education, Employment, Expert, ExpertKind, ExpertLanguage, Position

#: organizations the demo positions use, looked up by acronym; created (approved) only when the registry is empty.
DEMO_ORGANIZATIONS = [
    ("ISC", "International Science Council", "国际科学理事会"),
    ("WFEO", "World Federation of Engineering Organizations", "世界工程组织联合会"),
    ("IUPAC", "International Union of Pure and Applied Chemistry", "国际纯粹与应用化学联合会"),
    ("IMU", "International Mathematical Union", "国际数学联盟"),
]


def demo_id_number(area: str, born: datetime.date, sequence: str) -> str:
    """A checksum-valid resident ID for demo data (area code, birth date, 3-digit sequence)."""
    body = f"{area}{born:%Y%m%d}{sequence}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def _organizations() -> dict[str, Organization]:
    if not Organization.objects.exists():
        for acronym, name_en, name_zh in DEMO_ORGANIZATIONS:
            Organization.objects.get_or_create(
                name_en=name_en,
                defaults={"acronym": acronym, "name_zh": name_zh, "status": RecordStatus.APPROVED,
                          "approved_at": timezone.now()})
    found = {}
    for acronym, _name_en, _name_zh in DEMO_ORGANIZATIONS:
        organization = Organization.objects.official().filter(acronym=acronym).order_by("id").first()
        if organization is not None:
            found[acronym] = organization
    return found


def _expert(unit, user, admin, *, approve: bool, languages, positions, education=(), employment=(), disciplines=(),
            **values) -> Expert:
    expert = Expert(unit=unit, nationality=Country.objects.filter(code="CN").first(), **values)

    def save_related(saved):
        for language, proficiency, certificate in languages:
            ExpertLanguage.objects.create(expert=saved, language=language, proficiency=proficiency,
                                          certificate=certificate)
        for organization, role, level, start, end, status, title in positions:
            Position.objects.create(expert=saved, organization=organization, role=role, level=level,
                                    term_start=start, term_end=end, status=status, post_title=title)
        for start, end, institution, degree in education:
            Education.objects.create(expert=saved, start=start, end=end, institution=institution, degree=degree)
        for start, end, institution, post in employment:
            Employment.objects.create(expert=saved, start=start, end=end, institution=institution, post=post)
        saved.disciplines.set(Discipline.objects.filter(code__in=disciplines))

    expert = wf.record_save(record=expert, by=user, save_related=save_related)
    if approve:
        expert = wf.record_submit(record=expert, by=user, expected_version=expert.version)
        expert = wf.record_approve(record=expert, by=admin)
    return expert


@register_demo_loader
def load_demo_experts(units, admin):
    orgs = _organizations()
    today = clock.today()
    d = datetime.date
    for username, unit in units.items():
        user = unit.users.first()
        if user is None or not unit.is_approved:
            continue
        if username == "ccs":
            chem = orgs.get("IUPAC") or orgs.get("ISC")
            _expert(unit, user, admin, approve=True, kind=ExpertKind.SERVING, name_zh="周其林", gender="male",
                    birth_date=d(1966, 5, 12), id_type="resident_id",
                    id_number=demo_id_number("110108", d(1966, 5, 12), "013"), phone="13800138101",
                    email="zhouql@example.cn", employer="南开大学", department="化学学院", job_title="教授",
                    professional_title="教授", category="scholar", foreign_affairs_years=Decimal("12"),
                    has_intl_org_experience=True, disciplines=("150",),
                    languages=[("en", "fluent", "")],
                    positions=[(chem, "executive_member", "leadership", d(2022, 1, 1),
                                d(today.year + 1, 12, 31), "current", "执行委员")] if chem else [],
                    education=[(d(1984, 9, 1), d(1988, 7, 1), "兰州大学", "学士"),
                               (d(1988, 9, 1), d(1993, 7, 1), "中国科学院", "博士")],
                    employment=[(d(1993, 8, 1), None, "南开大学", "教授")])
            _expert(unit, user, admin, approve=True, kind=ExpertKind.RESERVE, name_zh="林晓雯", gender="female",
                    birth_date=d(1985, 3, 8), id_type="resident_id",
                    id_number=demo_id_number("120101", d(1985, 3, 8), "022"), phone="13800138102",
                    employer="天津大学", job_title="副教授", professional_title="副教授", category="scholar",
                    foreign_affairs_years=Decimal("3.5"), has_intl_org_experience=True, target_mid_level=True,
                    disciplines=("150",), languages=[("en", "working", "IELTS 7.5"), ("fr", "working", "DALF C1")],
                    positions=[], education=[(d(2003, 9, 1), d(2012, 7, 1), "巴黎萨克雷大学", "博士")])
            _expert(unit, user, admin, approve=False, kind=ExpertKind.RESERVE, name_zh="欧阳明", gender="male",
                    birth_date=d(1971, 11, 20), employer="中国化学会秘书处", category="foreign_affairs_staff",
                    foreign_affairs_years=Decimal("1.5"), target_secretariat=True,
                    languages=[("ru", "fluent", "")], positions=[])
        if username == "bj_kx":
            eng = orgs.get("WFEO") or orgs.get("ISC")
            _expert(unit, user, admin, approve=True, kind=ExpertKind.SERVING, name_zh="张建国", gender="male",
                    birth_date=d(1962, 9, 30), id_type="resident_id",
                    id_number=demo_id_number("110105", d(1962, 9, 30), "035"), phone="13800138201",
                    employer="清华大学", job_title="教授", professional_title="教授", category="scholar",
                    foreign_affairs_years=Decimal("20"), has_intl_org_experience=True, disciplines=("460",),
                    languages=[("en", "fluent", "")],
                    positions=[(eng, "vice_president", "leadership", d(today.year - 1, 1, 1),
                                d(today.year + 1, 6, 30), "current", "副主席")] if eng else [],
                    employment=[(d(1986, 7, 1), None, "清华大学", "教授")])
            _expert(unit, user, admin, approve=True, kind=ExpertKind.RESERVE, name_zh="王悦", gender="female",
                    birth_date=d(1990, 1, 15), id_type="passport", id_number="E20240115",
                    phone="13800138202", employer="北京市科学技术协会", category="foreign_affairs_staff",
                    foreign_affairs_years=Decimal("4"), target_secretariat=True,
                    languages=[("en", "working", "CATTI 二级")], positions=[])
