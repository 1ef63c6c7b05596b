"""A realistic, deterministic national-scale data set: units, organizations, memberships, conferences, experts.

Rows are built as the platform builds them (names through `NormalizedCharField`, an organization's search and
sort keys by `Organization.compute_derived`, an expert's pinyin, initials and ID key by
`Expert.fill_derived_fields`, an institution's completeness by `refresh_derived`) and inserted with
`bulk_create` in batches, so 68,000 organizations and 100,000 experts load in minutes. The 25 sample
organizations (IUPAC, ISC...) go through the real save / submit / approve services.

Deterministic: one `random.Random(seed)` and one Faker seeded with it draw everything, in a fixed order, and
dates count from `today`; the same seed on the same day (or with the same `today`) gives the same data.
Records of every workflow state are generated: drafts, submissions, returned records, approved ones, and
revisions of approved ones.
"""

import bisect
import datetime
import itertools
import random
import re
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from iodp.accounts.models import Role, Unit, UnitStatus, UnitType, User
from iodp.core import db
from iodp.core.workflow import RecordStatus
from iodp.experts.models import (
    CRITERION_LANGUAGES,
    Education,
    Employment,
    Expert,
    ExpertKind,
    ExpertLanguage,
    Gender,
    IdType,
    Language,
    PersonCategory,
    Position,
    PositionStatus,
    Proficiency,
)
from iodp.institutions.models import Institution, InstitutionContact
from iodp.organizations.models import (
    Award,
    Category,
    Conference,
    DuesPeriod,
    EcosocStatus,
    GoverningBody,
    Membership,
    MembershipForm,
    MembershipRelation,
    Organization,
    Verification,
    YesNo,
)
from iodp.reference.models import Country, Discipline, Region

from . import vocabulary as words

#: the password of every generated account (the platform admin `datagen_admin` and `unit001`...).
PASSWORD = "Datagen-2026!"
PLATFORM_ADMIN = "datagen_admin"
BATCH = 2000
#: every this many experts, one serving expert holds 50 posts (the detail page's worst case).
HEAVY_EXPERT_EVERY = 20_000
HEAVY_POSITIONS = 50
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "158", "159", "176", "180", "181", "186", "187", "188", "189")
_ACRONYM_SKIP = {"of", "for", "and", "in"}


@dataclass(frozen=True)
class Sizes:
    organizations: int = 68_000
    experts: int = 100_000
    units: int = 300


def username_of(index: int) -> str:
    """The account of the index-th generated unit (1-based): unit001, unit002..."""
    return f"unit{index:03d}"


def database_is_empty() -> bool:
    """No units, organizations or experts yet (reference data and a platform admin do not count)."""
    return not (Unit.objects.exists() or Organization.objects.exists() or Expert.objects.exists())


def _resident_id(area: str, birth: datetime.date, serial: int) -> str:
    """A GB 11643 number: area code, birth date, serial (odd for men), check character."""
    body = f"{area}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def _valid_resident_id(number: str) -> bool:
    try:
        return ric.is_valid(number)
    except KeyError:  # python-stdnum 2.2 fails on area codes known only as a prefix
        return False


class Generator:
    def __init__(self, *, seed: int = 2026, sizes: Sizes = Sizes(), today: datetime.date | None = None,
                 log=print):
        from faker import Faker

        from iodp.core import clock

        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.sizes = sizes
        self.today = today or clock.today()
        self.now = timezone.now()
        self.log = log
        self.started = time.perf_counter()
        self.counts: dict[str, int] = {}

    # --- helpers --------------------------------------------------------------------------------------------
    def _say(self, what: str) -> None:
        self.log(f"  {what} ({time.perf_counter() - self.started:.0f} s)")

    def _create(self, model, rows: list, label: str | None = None) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH)
        key = label or model._meta.label_lower
        self.counts[key] = self.counts.get(key, 0) + len(created)
        return created

    def _link(self, through, rows: list, label: str) -> None:
        through.objects.bulk_create(rows, batch_size=5000)
        self.counts[label] = self.counts.get(label, 0) + len(rows)

    def _weighted(self, cumulative: list[float], items: list):
        return items[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def _mobile(self) -> str:
        return f"+86{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10 ** 8):08d}"

    def _day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _workflow_state(self, index: int, *, draft: float, submitted: float, returned: float) -> str:
        """A record's state, with the shares given; the first three records of a kind are a draft, a
        submission and a returned record, so even a small data set has every state."""
        r = self.rng.random()
        if index < 3:
            return (RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.RETURNED)[index]
        if r < draft:
            return RecordStatus.DRAFT
        if r < draft + submitted:
            return RecordStatus.SUBMITTED
        if r < draft + submitted + returned:
            return RecordStatus.RETURNED
        return RecordStatus.APPROVED

    def _bookkeeping(self, record, status: str, by) -> None:
        """What the workflow services would have written for a record that reached `status`."""
        record.status = status
        record.created_by = record.updated_by = by
        record.version = {RecordStatus.DRAFT: 1, RecordStatus.SUBMITTED: 2, RecordStatus.RETURNED: 3,
                          RecordStatus.APPROVED: 3}[status]
        if status != RecordStatus.DRAFT:
            record.submitted_at = self.now
        if status == RecordStatus.APPROVED:
            record.approved_at = self.now
        if status == RecordStatus.RETURNED:
            record.return_reason = self.rng.choice(words.RETURN_REASONS)

    @staticmethod
    def _copy(record, **changes):
        """A revision row of an approved record: its values, pointing back at it (as `record_revise` makes)."""
        model = type(record)
        values = {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
        values.update(revision_of_id=record.pk, **changes)
        return model(**values)

    # --- the run --------------------------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.reference()
            self.accounts()
            self.organizations()
            self.organization_children()
            self.memberships()
            self.experts()
        self.analyze()
        self._say("done")
        return self.counts

    def reference(self) -> None:
        # Area codes that were in use over every generated birth year, so each ID passes the platform's check.
        first, last = self.today.year - 76, self.today.year - 27
        self.area_codes = sorted({area for area in (self.fake.ssn()[:6] for _n in range(600)) if all(
            _valid_resident_id(_resident_id(area, datetime.date(year, 1, 1), 1)) for year in (first, last))})
        self.countries = {c.code: c for c in Country.objects.order_by("code")}
        self.country_list = list(self.countries.values())
        self.disciplines = {d.code: d for d in Discipline.objects.order_by("code")}
        self.discipline_list = list(self.disciplines.values())
        self.regions = list(Region.objects.order_by("code"))
        hq = [(self.countries[code], weight, cities) for code, weight, cities in words.HQ_COUNTRIES
              if code in self.countries]
        self.hq_items = hq
        self.hq_cumulative = list(itertools.accumulate(weight for _, weight, _ in hq))

    def accounts(self) -> None:
        password = make_password(PASSWORD)
        self.admin = User.objects.filter(username=PLATFORM_ADMIN).first() or User.objects.create(
            username=PLATFORM_ADMIN, role=Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True, password=password)
        names = self._unit_names()
        beijing = next((r for r in self.regions if r.code == "110000"), self.regions[0])
        provinces = {r.name_zh: r for r in self.regions}
        n = self.sizes.units
        units = []
        for index, (name, unit_type, province_name) in enumerate(names[:n], start=1):
            status = UnitStatus.APPROVED
            if index > n - 15 and n >= 30:  # the last few: every account state
                status = (UnitStatus.PENDING, UnitStatus.REJECTED, UnitStatus.SUSPENDED)[(n - index) % 3]
            units.append(Unit(
                name=name, unit_type=unit_type, province=provinces.get(province_name) or (
                    beijing if unit_type == UnitType.NATIONAL_SOCIETY else self.rng.choice(self.regions)),
                admin_name=self.fake.name(), admin_phone=self._mobile(), admin_email=f"{username_of(index)}@example.cn",
                status=status, status_reason="材料不全，请补充后重新注册。" if status == UnitStatus.REJECTED else (
                    "逾期未更新数据。" if status == UnitStatus.SUSPENDED else ""),
                reviewed_by=self.admin if status != UnitStatus.PENDING else None,
                reviewed_at=self.now if status != UnitStatus.PENDING else None))
        self.units = self._create(Unit, units)
        users = self._create(User, [User(username=username_of(i), role=Role.UNIT_ADMIN, unit=unit, password=password,
                                         email=unit.admin_email) for i, unit in enumerate(self.units, start=1)])
        self.user_of = {user.unit_id: user for user in users}
        self.approved_units = [u for u in self.units if u.status == UnitStatus.APPROVED]
        # Units differ a lot in how much they record: a long tail of small ones.
        weights = [1 / (rank + 8) for rank in range(len(self.approved_units))]
        self.unit_cumulative = list(itertools.accumulate(weights))

        profiles, contacts = [], []
        for index, unit in enumerate(self.units, start=1):
            if unit.status == UnitStatus.REJECTED:
                continue
            status = RecordStatus.DRAFT if unit.status == UnitStatus.PENDING else RecordStatus.APPROVED
            profile = Institution(
                unit=unit, name_zh=unit.name, unit_type=unit.unit_type, province=unit.province,
                city=unit.province.name_zh.rstrip("省市") or unit.province.name_zh,
                address=f"{unit.province.name_zh}{self.fake.street_address()}",
                website=f"https://www.{username_of(index)}.example.cn",
                description=f"{unit.name}是{unit.get_unit_type_display()}，负责本单位国际组织与专家信息的填报。",
                admin_name=unit.admin_name, admin_phone=unit.admin_phone, admin_email=unit.admin_email)
            self._bookkeeping(profile, status, self.user_of[unit.pk])
            profiles.append(profile)
        profiles = self._create(Institution, profiles)
        for profile in profiles:
            contacts.append(InstitutionContact(institution=profile, name=self.fake.name(), role="国际部",
                                               phone=self._mobile(), email=f"intl{profile.unit_id}@example.cn"))
        self._create(InstitutionContact, contacts)
        for profile in profiles:
            profile.refresh_derived()
        self._say(f"{len(self.units)} units with accounts and profiles")

    def _unit_names(self) -> list[tuple[str, str, str]]:
        names = [(f"{r.name_zh}科学技术协会", UnitType.PROVINCIAL, r.name_zh) for r in self.regions
                 if r.code not in ("710000", "810000", "820000")]
        names += [(f"中国{zh}学会", UnitType.NATIONAL_SOCIETY, "") for _en, zh, _code in words.FIELDS]
        names += [(f"{u}科学技术协会", UnitType.UNIVERSITY, "") for u in words.UNIVERSITIES]
        self.rng.shuffle(names)
        seen = {n for n, _t, _p in names}
        while len(names) < self.sizes.units:
            name = f"{self.fake.company()}科学技术协会"
            if name not in seen:
                seen.add(name)
                names.append((name, UnitType.ENTERPRISE, ""))
        return names

    # --- organizations --------------------------------------------------------------------------------------
    def organizations(self) -> None:
        from iodp.organizations.demo import load_sample_organizations

        load_sample_organizations(self.admin)
        official = list(Organization.objects.official().order_by("pk"))
        names_zh = {o.name_zh for o in official}
        names_en = {o.name_en.lower() for o in official}
        acronyms = {(o.acronym.lower(), o.hq_country_id) for o in official if o.acronym}
        wanted = max(0, self.sizes.organizations - len(official))
        sizes = (len(words.FIELDS), len(words.QUALIFIERS), len(words.KINDS), len(words.REGIONS))
        space = sizes[0] * sizes[1] * sizes[2] * sizes[3]
        picks = self.rng.sample(range(space), min(space, wanted + wanted // 10 + 10))
        rows, discipline_codes = [], []
        for pick in picks:
            if len(rows) >= wanted:
                break
            pick, field = divmod(pick, sizes[0])
            pick, qualifier = divmod(pick, sizes[1])
            region, kind = divmod(pick, sizes[2])
            org, code = self._organization(len(rows), field, qualifier, kind, region)
            if org.name_zh in names_zh or org.name_en.lower() in names_en:
                continue
            names_zh.add(org.name_zh)
            names_en.add(org.name_en.lower())
            if org.acronym:
                key = (org.acronym.lower(), org.hq_country_id)
                if key in acronyms:
                    org.acronym = ""
                else:
                    acronyms.add(key)
            org.compute_derived()  # search_text, sort_key: what Organization.save() stores
            rows.append(org)
            discipline_codes.append(code)
        created = self._create(Organization, rows)
        through = Organization.disciplines.through
        links = []
        for org, code in zip(created, discipline_codes, strict=True):
            codes = [code]
            if self.rng.random() < 0.25:
                extra = self.rng.choice(self.discipline_list).code
                if extra != code:
                    codes.append(extra)
            links += [through(organization_id=org.pk, discipline_id=self.disciplines[c].pk) for c in codes
                      if c in self.disciplines]
        self._link(through, links, "organizations.organization_disciplines")

        # Revisions the platform admin has open on some approved records (only it revises the shared registry).
        approved = [o for o in created if o.status == RecordStatus.APPROVED]
        revisions = []
        for org in self.rng.sample(approved, len(approved) // 200):
            revision = self._copy(org, unit_id=None, hq_city=org.hq_city or "Geneva",
                                  aims=(org.aims + "（修订）").strip())
            self._bookkeeping(revision, self.rng.choice((RecordStatus.DRAFT, RecordStatus.SUBMITTED)), self.admin)
            revision.version = org.version + 1
            revision.compute_derived()
            revisions.append(revision)
        revisions = self._create(Organization, revisions, "organizations.organization (revisions)")
        disciplines_of: dict[int, list[int]] = {}
        for link in links:
            disciplines_of.setdefault(link.organization_id, []).append(link.discipline_id)
        self._link(through, [through(organization_id=r.pk, discipline_id=d) for r in revisions
                             for d in disciplines_of.get(r.revision_of_id, [])],
                   "organizations.organization_disciplines")
        self.official_orgs = official + approved
        # Some organizations have far more Chinese experts than others: a skewed choice.
        weights = [1 / (rank + 1) ** 0.6 for rank in range(len(self.official_orgs))]
        self.org_order = self.official_orgs[:]
        self.rng.shuffle(self.org_order)
        self.org_cumulative = list(itertools.accumulate(weights))
        self._say(f"{len(self.official_orgs)} official organizations, {len(created)} generated")

    def _organization(self, index: int, field: int, qualifier: int, kind: int, region: int):
        field_en, field_zh, code = words.FIELDS[field]
        qual_en, qual_zh = words.QUALIFIERS[qualifier]
        kind_en, kind_zh = words.KINDS[kind]
        region_en, region_zh, nature = words.REGIONS[region]
        pattern = self.rng.randrange(3)
        if qual_en.endswith(" in") and pattern == 2:
            pattern = 0
        subject = f"{qual_en} {field_en}".strip()
        name_en = (f"{region_en} {kind_en} of {subject}", f"{region_en} {kind_en} for {subject}",
                   f"{region_en} {subject} {kind_en}")[pattern]
        name_zh = f"{region_zh}{qual_zh}{field_zh}{kind_zh}"
        acronym = "".join(w[0].upper() for w in re.split(r"[ -]", name_en) if w and w not in _ACRONYM_SKIP)[:32]
        country, _weight, cities = self._weighted(self.hq_cumulative, self.hq_items)
        rng = self.rng
        status = self._workflow_state(index, draft=0.015, submitted=0.01, returned=0.005)
        unit = None
        if status != RecordStatus.APPROVED or rng.random() < 0.6:
            unit = self._weighted(self.unit_cumulative, self.approved_units)
        founded_year = int(1880 + (self.today.year - 1 - 1880) * rng.random() ** 0.6) if rng.random() < 0.8 else None
        founded_date = None
        if founded_year and rng.random() < 0.2:
            founded_date = datetime.date(founded_year, rng.randint(1, 12), rng.randint(1, 28))
        domain = f"{acronym.lower() or 'org' + str(rng.randrange(10 ** 6))}.org"
        org = Organization(
            unit=unit, name_zh=name_zh, name_en=name_en, acronym=acronym, nature=nature,
            category=rng.choices((Category.CORE, Category.IMPORTANT, Category.GENERAL), (10, 30, 60))[0],
            hq_country=country, hq_city=rng.choice(cities), founded_year=founded_year, founded_date=founded_date,
            website=f"https://www.{domain}", email=f"info@{domain}" if rng.random() < 0.6 else "",
            address=f"{rng.randint(1, 300)} {self.fake.street_name()}, {cities[0]}" if rng.random() < 0.3 else "",
            membership_forms=sorted(rng.sample(
                [MembershipForm.NATIONAL, MembershipForm.INSTITUTIONAL, MembershipForm.INDIVIDUAL], rng.randint(1, 2))),
        )
        if rng.random() < 0.3:
            org.dues_amount = Decimal(rng.randrange(500, 50_000, 100))
            org.dues_currency = rng.choice(("USD", "EUR", "CHF", "GBP"))
            org.dues_period = rng.choice((DuesPeriod.ANNUAL, DuesPeriod.ANNUAL, DuesPeriod.TERM))
            org.dues_payer = rng.choice(("中国科协", "国家自然科学基金委员会", unit.name if unit else "中国科协"))
        for code, member_name in (("hk", "中国香港"), ("mo", "中国澳门"), ("tw", "中国台北")):
            if rng.random() < 0.15:
                setattr(org, f"{code}_member", YesNo.YES)
                setattr(org, f"{code}_name", f"{member_name}{field_zh}学会")
        if rng.random() < 0.3:  # 组织名录 filled in
            org.aims = f"促进{qual_zh}{field_zh}领域的国际合作与学术交流，推动学科发展，服务全球可持续发展。"
            org.governance = "会员代表大会为最高权力机构，下设理事会、执行委员会和秘书处。"
            org.member_count = rng.randint(20, 20_000)
            org.member_country_count = rng.randint(5, 190)
            org.official_languages = rng.choice(words.LANGUAGES_OF_ORGANIZATIONS)
            org.secretariat_country = country
            org.secretariat_city = org.hq_city
            org.election_cycle_years = rng.choice((2, 3, 4, 4))
            org.regular_meetings = f"每{org.election_cycle_years}年召开一次会员代表大会。"
            org.ecosoc_status = rng.choices((EcosocStatus.NONE, EcosocStatus.SPECIAL, EcosocStatus.ROSTER),
                                            (85, 10, 5))[0]
        by = self.user_of[unit.pk] if unit else self.admin
        self._bookkeeping(org, status, by)
        return org, code

    def organization_children(self) -> None:
        rng = self.rng
        conferences, bodies, awards, verifications = [], [], [], []
        for org in self.official_orgs:
            if rng.random() < 0.25:
                for _n in range(rng.randint(1, 4)):
                    year = self.today.year - rng.randint(-2, 12)
                    in_china = rng.random() < 0.15
                    conferences.append(Conference(
                        organization=org, name=f"{year}年{org.name_zh or org.name_en}{rng.choice(words.CONFERENCE_KINDS)}",
                        year=year, city=rng.choice(words.CHINA_CITIES) if in_china else org.hq_city,
                        country=self.countries.get("CN") if in_china else org.hq_country, hosted_in_china=in_china,
                        host_unit_name=self._weighted(self.unit_cumulative, self.approved_units).name
                        if in_china else ""))
            if rng.random() < 0.15:
                bodies.append(GoverningBody(organization=org, name="理事会", seats=rng.randint(9, 60)))
                bodies.append(GoverningBody(organization=org, name="执行委员会", seats=rng.randint(5, 15)))
            if rng.random() < 0.05:
                awards.append(Award(organization=org, name=f"{org.name_zh}{rng.choice(('杰出贡献奖', '青年科学家奖', '终身成就奖'))}",
                                    frequency=rng.choice(("每年", "每两年", "每届"))))
            if rng.random() < 0.05:
                unit = self._weighted(self.unit_cumulative, self.approved_units)
                verifications.append(Verification(organization=org, unit=unit, verified_by=self.user_of[unit.pk],
                                                  version=org.version))
        for unit in self.approved_units:  # meetings a unit initiates without an organization
            for _n in range(rng.randint(0, 4)):
                year = self.today.year - rng.randint(-1, 6)
                field_zh = rng.choice(words.FIELDS)[1]
                conferences.append(Conference(unit=unit, name=f"{year}{field_zh}国际学术研讨会", year=year,
                                              city=rng.choice(words.CHINA_CITIES), country=self.countries.get("CN"),
                                              hosted_in_china=True, host_unit_name=unit.name))
        self._create(Conference, conferences)
        self._create(GoverningBody, bodies)
        self._create(Award, awards)
        self._create(Verification, verifications)
        self._say(f"{len(conferences)} conferences")

    def memberships(self) -> None:
        rng = self.rng
        rows = []
        for unit in self.approved_units:
            count = min(len(self.official_orgs), rng.randint(10, 150))
            for org in rng.sample(self.official_orgs, count):
                membership = Membership(unit=unit, organization=org)
                if rng.random() < 0.8:
                    membership.relation = MembershipRelation.MEMBER
                    membership.form = rng.choice((MembershipForm.NATIONAL, MembershipForm.INSTITUTIONAL,
                                                  MembershipForm.INDIVIDUAL))
                    membership.since_year = rng.randint(max(org.founded_year or 1950, 1950), self.today.year)
                    if rng.random() < 0.3:
                        membership.dues_amount = Decimal(rng.randrange(200, 20_000, 100))
                        membership.dues_currency = rng.choice(("USD", "EUR", "CHF", "CNY"))
                else:
                    membership.relation = MembershipRelation.PLANNED
                    membership.target_date = self.today + datetime.timedelta(days=rng.randint(30, 720))
                    membership.reason = rng.choice(words.REASONS)
                state = self._workflow_state(len(rows), draft=0.05, submitted=0.05, returned=0.03)
                self._bookkeeping(membership, state, self.user_of[unit.pk])
                rows.append(membership)
        created = self._create(Membership, rows)
        revisions = []
        for membership in created:
            if membership.status == RecordStatus.APPROVED and rng.random() < 0.02:
                revision = self._copy(membership, notes="更新会费信息。")
                self._bookkeeping(revision, rng.choice((RecordStatus.DRAFT, RecordStatus.SUBMITTED)),
                                  self.user_of[membership.unit_id])
                revision.version = membership.version + 1
                revisions.append(revision)
        self._create(Membership, revisions, "organizations.membership (revisions)")
        self._say(f"{len(created)} memberships")

    # --- experts -----------------------------------------------------------------------------------------------
    def experts(self) -> None:
        chunk = 5000
        for start in range(0, self.sizes.experts, chunk):
            self._expert_chunk(range(start, min(start + chunk, self.sizes.experts)))
            self._say(f"{min(start + chunk, self.sizes.experts)} experts")

    def _expert_chunk(self, indexes: range) -> None:
        rng = self.rng
        experts, children = [], []
        for index in indexes:
            expert, kids = self._expert(index)
            experts.append(expert)
            children.append(kids)
        experts = self._create(Expert, experts)
        revisions, revision_children = [], []
        for expert, kids in zip(experts, children, strict=True):
            if expert.status == RecordStatus.APPROVED and rng.random() < 0.02:
                revision = self._copy(expert, phone=self._mobile())
                self._bookkeeping(revision, rng.choice((RecordStatus.DRAFT, RecordStatus.SUBMITTED)),
                                  self.user_of[expert.unit_id])
                revision.version = expert.version + 1
                revisions.append(revision)
                revision_children.append(kids)
        revisions = self._create(Expert, revisions, "experts.expert (revisions)")
        rows = {ExpertLanguage: [], Education: [], Employment: [], Position: []}
        links = {"disciplines": [], "target_organizations": [], "target_disciplines": []}
        for expert, kids in itertools.chain(zip(experts, children, strict=True),
                                            zip(revisions, revision_children, strict=True)):
            for model, values in kids["rows"]:
                rows[model].append(model(expert_id=expert.pk, **values))
            for name, ids in kids["links"].items():
                through = getattr(Expert, name).through
                target = "organization_id" if name == "target_organizations" else "discipline_id"
                links[name] += [through(expert_id=expert.pk, **{target: pk}) for pk in ids]
        for model, objects in rows.items():
            self._create(model, objects)
        for name, objects in links.items():
            self._link(getattr(Expert, name).through, objects, f"experts.expert_{name}")

    def _expert(self, index: int):
        rng, fake, today = self.rng, self.fake, self.today
        heavy = index % HEAVY_EXPERT_EVERY == 7
        gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
        name = fake.name_male() if gender == Gender.MALE else fake.name_female()
        birth = today - datetime.timedelta(days=rng.randint(28 * 365, 75 * 365))
        if rng.random() < 0.96:
            id_type = IdType.RESIDENT_ID
            serial = rng.randrange(1, 1000, 2) if gender == Gender.MALE else rng.randrange(0, 1000, 2)
            id_number = _resident_id(rng.choice(self.area_codes), birth, serial)
        else:
            id_type, id_number = IdType.PASSPORT, f"E{rng.randrange(10 ** 8):08d}"
        kind = ExpertKind.SERVING if heavy or rng.random() < 0.55 else ExpertKind.RESERVE
        status = RecordStatus.APPROVED if heavy else self._workflow_state(index, draft=0.04, submitted=0.04,
                                                                            returned=0.02)
        unit = self._weighted(self.unit_cumulative, self.approved_units)
        employer = self._employer()
        expert = Expert(
            unit=unit, kind=kind, name_zh=name, gender=gender, birth_date=birth,
            nationality=self.countries.get("CN") if rng.random() < 0.99 else rng.choice(self.country_list),
            id_type=id_type, id_number=id_number, phone=self._mobile(), employer=employer,
            department=rng.choice(words.DEPARTMENTS), job_title=rng.choice(words.JOB_TITLES),
            professional_title=rng.choice(words.PROFESSIONAL_TITLES),
            category=PersonCategory.SCHOLAR if rng.random() < 0.85 else PersonCategory.FOREIGN_AFFAIRS_STAFF,
            foreign_affairs_years=Decimal(rng.randint(0, 60)) / 2,
            has_intl_org_experience=rng.random() < 0.3,
        )
        expert.fill_derived_fields()  # name_en, pinyin, initials, ID key: what Expert.save() stores
        expert.email = f"{expert.name_pinyin}{index % 1000}@{rng.choice(('163.com', 'qq.com', 'cas.cn', 'example.cn'))}"
        if kind == ExpertKind.RESERVE:
            expert.target_leadership = rng.random() < 0.3
            expert.target_mid_level = rng.random() < 0.6
            expert.target_secretariat = not (expert.target_leadership or expert.target_mid_level) or rng.random() < 0.2
        self._bookkeeping(expert, status, self.user_of[unit.pk])

        rows = []
        languages = [Language.ENGLISH] if rng.random() < 0.85 else []
        for extra, share in ((Language.FRENCH, 0.1), (Language.GERMAN, 0.08), (Language.JAPANESE, 0.08),
                             (Language.RUSSIAN, 0.05), (Language.SPANISH, 0.04)):
            if rng.random() < share:
                languages.append(extra)
        if not languages:
            languages = [rng.choice((Language.RUSSIAN, Language.JAPANESE, Language.KOREAN))]
        for language in languages:
            rows.append((ExpertLanguage, {
                "language": language, "proficiency": rng.choice((Proficiency.WORKING, Proficiency.FLUENT)),
                "certificate": rng.choice(("", "", "IELTS 7.0", "TOEFL 105", "DALF C1")) if language in (
                    Language.ENGLISH, Language.FRENCH) else ""}))
        # has_working_language: what Expert.refresh_derived computes from the languages just listed.
        expert.has_working_language = any(language in CRITERION_LANGUAGES for language in languages)
        year = birth.year + 18
        for degree, _level in words.DEGREES[:rng.randint(1, 3)]:
            abroad = rng.random() < 0.25
            length = 4 if degree == "学士" else 3
            rows.append((Education, {
                "start": datetime.date(year, 9, 1), "end": datetime.date(year + length, 7, 1),
                "institution": rng.choice(words.FOREIGN_UNIVERSITIES if abroad else words.UNIVERSITIES),
                "country_id": self.countries[rng.choice(words.STUDY_ABROAD)].pk if abroad and self.countries else (
                    self.countries["CN"].pk if "CN" in self.countries else None),
                "degree": degree, "major": rng.choice(words.FIELDS)[1]}))
            year += length
        rows.append((Employment, {"start": datetime.date(min(year, today.year), 7, 15), "institution": employer,
                                  "country_id": self.countries["CN"].pk if "CN" in self.countries else None,
                                  "post": expert.job_title}))
        rows += [(Position, values) for values in self._positions(kind, heavy)]
        links = {"disciplines": [d.pk for d in rng.sample(self.discipline_list, rng.randint(1, 2))]}
        if kind == ExpertKind.RESERVE:
            links["target_disciplines"] = [rng.choice(self.discipline_list).pk]
            links["target_organizations"] = sorted({self._weighted(self.org_cumulative, self.org_order).pk
                                                    for _n in range(rng.randint(0, 2))})
        return expert, {"rows": rows, "links": links}

    def _employer(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return self.rng.choice(words.UNIVERSITIES)
        if r < 0.7:
            return f"中国科学院{self.rng.choice(words.FIELDS)[1]}研究所"
        return self.fake.company()

    def _positions(self, kind: str, heavy: bool) -> list[dict]:
        rng, today = self.rng, self.today
        if heavy:
            count = HEAVY_POSITIONS
        elif kind == ExpertKind.SERVING:
            count = 1 + min(int(rng.expovariate(0.4)), 12)
        else:
            count = rng.choice((0, 0, 1, 1, 2))
        positions = []
        for n in range(count):
            role, level, title = rng.choices(words.POSTS, words.POST_WEIGHTS)[0]
            if kind == ExpertKind.SERVING and n == 0:
                start = today - datetime.timedelta(days=rng.randint(30, 1400))
                end = today + datetime.timedelta(days=rng.randint(20, 1500))
                status = PositionStatus.CURRENT
            elif rng.random() < 0.05:
                start = today + datetime.timedelta(days=rng.randint(10, 300))
                end = start + datetime.timedelta(days=4 * 365)
                status = PositionStatus.ELECTED
            else:
                end = today - datetime.timedelta(days=rng.randint(30, 6000))
                start = end - datetime.timedelta(days=rng.choice((2, 3, 4)) * 365)
                status = PositionStatus.FORMER
            positions.append({"organization_id": self._weighted(self.org_cumulative, self.org_order).pk,
                              "post_title": title, "role": role, "level": level, "term_start": start,
                              "term_end": end, "status": status})
        return positions

    def analyze(self) -> None:
        """Fresh statistics for the query planner (the tables grew from nothing) and, on PostgreSQL, a VACUUM so
        that index-only scans need not visit the new rows."""
        self._say(db.analyze(vacuum=True))
