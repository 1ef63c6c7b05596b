"""Demo organizations for `make run`: the sample registry (approved) and a few memberships of the demo units."""

import csv
from pathlib import Path

from django.conf import settings

from iodp.core import clock
from iodp.core import workflow_services as wf
from iodp.core.demo import register_demo_loader
from iodp.reference.models import Country, Discipline

from .models import Category, Membership, MembershipForm, MembershipRelation, Nature, Organization

SAMPLE = Path(settings.BASE_DIR) / "iodp" / "reference" / "data" / "orgs_sample.csv"
CORE = {"ISC", "IUPAC", "IUPAP", "IAU", "IMU", "WFEO"}
# Sample rows lack disciplines (GB/T 13745 codes) and some Chinese names: the commonly used ones.
DISCIPLINES = {
    "ISC": ["110", "140", "150", "180"], "WFEO": ["410"], "FEIAP": ["410"], "AFEO": ["410"], "IUPAC": ["150"],
    "IUPAP": ["140"], "IAU": ["160"], "IUGG": ["170"], "IMU": ["110"], "IUBS": ["180"], "IUCr": ["140", "150"],
    "IUPsyS": ["190"], "IFAC": ["413"], "IAF": ["590"], "IGU": ["170"], "IEA": ["410"], "IUGS": ["170"],
    "IUTAM": ["130"], "URSI": ["510"], "IFIP": ["520"], "COSPAR": ["160", "590"], "CODATA": ["120"],
    "IUFRO": ["220"], "ICOLD": ["570"], "ISPRS": ["420"],
}
ZH_NAMES = {
    "AFEO": "东盟工程组织联合会", "IUCr": "国际晶体学联合会", "URSI": "国际无线电科学联盟",
    "COSPAR": "国际空间研究委员会", "CODATA": "国际科学理事会数据委员会", "IUFRO": "国际林业研究组织联盟",
    "ICOLD": "国际大坝委员会", "ISPRS": "国际摄影测量与遥感学会",
}
# Memberships of the demo units: (username, acronym, relation, form, since_year or None). The last one is left
# awaiting review, so the platform admin's review queue has a plan to decide.
DEMO_MEMBERSHIPS = [
    ("ccs", "IUPAC", MembershipRelation.MEMBER, MembershipForm.NATIONAL, 1979),
    ("ccs", "IUCr", MembershipRelation.PLANNED, MembershipForm.INSTITUTIONAL, None),
    ("bj_kx", "WFEO", MembershipRelation.MEMBER, MembershipForm.INSTITUTIONAL, 2005),
    ("bj_kx", "IAF", MembershipRelation.PLANNED, MembershipForm.INSTITUTIONAL, None),
    ("zju_kx", "IFAC", MembershipRelation.PLANNED, MembershipForm.INSTITUTIONAL, None),
]


def sample_rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _country(name_en: str):
    if not name_en:
        return None
    return Country.objects.filter(name_en__iexact=name_en).first() or Country.objects.filter(
        name_en__istartswith=name_en).first()


def load_sample_organizations(admin) -> dict[str, Organization]:
    """Each sample row becomes an approved organization, through the real save / submit / approve services."""
    created = {}
    for row in sample_rows():
        acronym = row["acronym"].strip()
        if Organization.objects.filter(acronym__iexact=acronym, revision_of__isnull=True).exists():
            continue
        record = Organization(
            unit=None, name_zh=row["name_zh"].strip() or ZH_NAMES.get(acronym, ""), name_en=row["name_en"].strip(), acronym=acronym,
            nature=row["nature"].strip() or Nature.GLOBAL, hq_city=row["hq_city"].strip()[:100],
            hq_country=_country(row["hq_country"].strip()),
            founded_year=int(row["founded_year"]) if row["founded_year"].strip().isdigit() else None,
            website=row["website"].strip(), category=Category.CORE if acronym in CORE else Category.IMPORTANT,
        )
        codes = DISCIPLINES.get(acronym, [])

        def save_related(saved, codes=codes):
            saved.disciplines.set(Discipline.objects.filter(code__in=codes))

        record = wf.record_save(record=record, by=admin, save_related=save_related)
        record = wf.record_submit(record=record, by=admin, expected_version=record.version)
        created[acronym] = wf.record_approve(record=record, by=admin, comment="示例数据")
    return created


def load_demo_organizations(units, admin) -> None:
    """The demo units' memberships and plans, submitted by the unit and reviewed, through the real services."""
    organizations = load_sample_organizations(admin)
    for index, (username, acronym, relation, form, since) in enumerate(DEMO_MEMBERSHIPS):
        unit, org = units.get(username), organizations.get(acronym)
        user = unit.users.first() if unit is not None else None
        if user is None or org is None or Membership.objects.filter(organization=org, unit=unit).exists():
            continue
        membership = Membership(organization=org, unit=unit, relation=relation, form=form, since_year=since)
        if relation == MembershipRelation.PLANNED:
            membership.target_date = clock.today().replace(month=12, day=31)
            membership.reason = "加强与国际同行的交流合作，参与国际标准制定。"
        membership = wf.record_submit(record=membership, by=user)
        if index < len(DEMO_MEMBERSHIPS) - 1:
            wf.record_approve(record=membership, by=admin, comment="示例数据")


register_demo_loader(load_demo_organizations)
