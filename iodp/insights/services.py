"""统计分析: the figures of the dashboard, computed live in SQL from the records, as plain data.

`insights_compute` answers for the whole platform or one unit, on a day ("as of"), from approved records or
approved and submitted ones. Every figure is a COUNT in the database (a constant number of queries, whatever
the number of experts); the page, the Excel export and the text summary all read the same `Insights`.

What counts, in one place:
- a record: approved (or submitted with `include_submitted`), never a revision row (its approved original
  is the official data until the revision is approved); returned and draft records never count;
- a post on day D: it had started by D (no start date: not "elected, not yet in office") and had not ended
  before D (no end date: still "current");
- 已加入 on day D: an organization with a unit's membership (any form, 个人会员 included) joined by D's year
  (no year: joined), or in which an expert holds a post on D (an individual's tie, with no unit membership);
- 计划加入: plans recorded by D;
- a unit's figures: its memberships, plans, experts and their posts, and the conferences it entered; the
  registry itself (总数, 在华国际组织) is national and shared by every unit.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from iodp.accounts.models import Unit
from iodp.core import clock
from iodp.core.caching import reused
from iodp.core.dashboard import latest_change_id
from iodp.core.models import ChangeAction
from iodp.core.workflow import RecordStatus
from iodp.experts.eligibility import years_before
from iodp.experts.models import Expert, ExpertKind, ExpertLanguage, Language, Level, Position, PositionStatus, Role
from iodp.organizations.models import Category, Conference, Membership, MembershipRelation, Nature, Organization
from iodp.reference.models import Country, Discipline

#: roles counted as 主席、副主席、前主席、候任主席 among the posts at 执委 and above.
PRESIDIUM_ROLES = (Role.PRESIDENT, Role.VICE_PRESIDENT, Role.PAST_PRESIDENT, Role.PRESIDENT_ELECT)
#: how many organizations the "by organization" table lists.
TOP_ORGANIZATIONS = 20
#: how many current presidents the table names.
PRESIDENTS_LISTED = 100
#: age bands (lowest age, highest age inclusive or None); the last row counts experts without a birth date.
AGE_BANDS = ((None, 34), (35, 44), (45, 54), (55, 64), (65, None))
CHINA = "CN"

#: (figure key, label) of the headline figures, in the order the page and the overview sheet list them.
HEADLINE = (
    ("registry_total", gettext_lazy("全国名录收录国际组织数")),
    ("joined", gettext_lazy("已加入国际组织数")),
    ("joined_core", gettext_lazy("已加入核心类组织数")),
    ("joined_core_share", gettext_lazy("核心类已加入比例（%）")),
    ("joined_important", gettext_lazy("已加入重要类组织数")),
    ("joined_important_share", gettext_lazy("重要类已加入比例（%）")),
    ("planned_organizations", gettext_lazy("计划加入国际组织数")),
    ("hq_in_china", gettext_lazy("总部设在中国的国际组织数")),
    ("hq_or_secretariat_in_china", gettext_lazy("总部或秘书处设在中国的国际组织数")),
    ("posts", gettext_lazy("任职总人次")),
    ("leadership_posts", gettext_lazy("执委以上任职人次")),
    ("leadership_presidium", gettext_lazy("其中主席、副主席、前主席、候任主席人次")),
    ("leadership_executive", gettext_lazy("其中执委或相当职务人次")),
    ("leadership_experts", gettext_lazy("执委以上任职专家人数")),
    ("presidents", gettext_lazy("现任主席人数")),
    ("covered", gettext_lazy("有执委以上任职的已加入组织数")),
    ("coverage", gettext_lazy("执委以上任职覆盖率（%）")),
    ("conferences_in_china", gettext_lazy("在华举办国际会议数")),
    ("serving", gettext_lazy("已任职专家人数")),
    ("reserve", gettext_lazy("后备专家人数")),
    ("reserve_eligible", gettext_lazy("符合推荐条件的后备专家人数")),
    )


@dataclass
class Table:
    """One table of the dashboard (and one sheet of the export): headers and rows of plain values."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    #: the column a bar chart draws (None: no chart)
    chart_column: int | None = None

    def chart(self) -> list[dict]:
        """Rows as bars: label, value and the bar's share of the largest value (0–100)."""
        if self.chart_column is None:
            return []
        values = [row[self.chart_column] or 0 for row in self.rows]
        top = max(values, default=0) or 1
        return [{"label": row[0], "value": value, "percent": round(value * 100 / top, 1)}
                for row, value in zip(self.rows, values, strict=True)]


@dataclass
class Insights:
    """The figures of one scope and day: headline numbers (`figures`) and the tables."""

    as_of: datetime.date
    unit: object | None
    include_submitted: bool
    figures: dict
    tables: list[Table]

    def headline(self) -> list[tuple]:
        """(label, value) of the headline figures."""
        return [(label, self.figures[key]) for key, label in HEADLINE]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def counted_statuses(include_submitted: bool) -> list[str]:
    return [RecordStatus.APPROVED, RecordStatus.SUBMITTED] if include_submitted else [RecordStatus.APPROVED]


def _counted(prefix: str, statuses: list[str]) -> Q:
    """Records in `statuses` that are not revision rows, through the relation `prefix` ("" for the row itself)."""
    return Q(**{f"{prefix}status__in": statuses, f"{prefix}revision_of__isnull": True})


def post_held_on(day: datetime.date, prefix: str = "") -> Q:
    """A post held on `day`: started by then and not ended before it (module docstring)."""
    started = Q(**{f"{prefix}term_start__lte": day}) | Q(
        **{f"{prefix}term_start__isnull": True}) & ~Q(**{f"{prefix}status": PositionStatus.ELECTED})
    not_ended = Q(**{f"{prefix}term_end__gte": day}) | Q(
        **{f"{prefix}term_end__isnull": True, f"{prefix}status": PositionStatus.CURRENT})
    return started & not_ended


def _name(row: dict, prefix: str) -> str:
    """The Chinese name of a related row, or its English one in English (when it has one)."""
    english = row.get(f"{prefix}name_en")
    if (get_language() or "").startswith("en") and english:
        return english
    return row.get(f"{prefix}name_zh") or english or "—"


def _share(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def insights_compute(*, unit=None, as_of: datetime.date | None = None, include_submitted: bool = False) -> Insights:
    """Every figure of the dashboard for `unit` (None: the whole platform) on `as_of` (None: today)."""
    day = as_of or clock.today()
    statuses = counted_statuses(include_submitted)

    organizations = Organization.objects.filter(_counted("", statuses))
    memberships = Membership.objects.filter(_counted("", statuses), _counted("organization__", statuses))
    experts = Expert.objects.filter(_counted("", statuses))
    if unit is not None:
        memberships = memberships.owned_by(unit)
        experts = experts.owned_by(unit)
    # Joins rather than `expert__in=experts`: SQLite re-plans nested IN subqueries in every figure that uses them.
    positions = Position.objects.filter(_counted("expert__", statuses), _counted("organization__", statuses),
                                        post_held_on(day))
    if unit is not None:
        positions = positions.owned_by(unit)
    members = memberships.filter(relation=MembershipRelation.MEMBER).filter(
        Q(since_year__isnull=True) | Q(since_year__lte=day.year))
    end_of_day = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    plans = memberships.filter(relation=MembershipRelation.PLANNED, created_at__lt=end_of_day)
    # The posts held on the day, fetched once as compact rows and counted here: every position table and figure
    # reads them, where five grouped queries scanned the posts (with their expert and organization) five times.
    held = list(positions.values_list("organization_id", "expert_id", "expert__unit_id", "level", "role"))
    member_organizations = set(members.values_list("organization_id", flat=True))
    joined_ids = member_organizations | {row[0] for row in held}
    covered_ids = {row[0] for row in held if row[3] == Level.LEADERSHIP}

    # The registry's totals, categories, natures and HQ countries from one compact row per organization, counted
    # by kind (a few hundred kinds) and then summed.
    china = Country.objects.filter(code=CHINA).values_list("pk", flat=True).first()
    kinds = Counter(
        (category, nature, hq_country, china is not None and hq_country == china,
         china is not None and secretariat_country == china, pk in joined_ids, pk in covered_ids)
        for pk, category, nature, hq_country, secretariat_country in organizations.values_list(
            "pk", "category", "nature", "hq_country_id", "secretariat_country_id"))
    registry = {"total": 0, "joined": 0, "covered": 0, "hq_in_china": 0, "hq_or_secretariat_in_china": 0,
                "joined_hq_in_china": 0}
    by_category, by_nature, by_country = {}, {}, {}
    for (category, nature, hq_country, in_china, secretariat_in_china, joined_here, covered_here), n in kinds.items():
        registry["total"] += n
        registry["joined"] += n * joined_here
        registry["covered"] += n * covered_here
        registry["hq_in_china"] += n * in_china
        registry["joined_hq_in_china"] += n * (joined_here and in_china)
        registry["hq_or_secretariat_in_china"] += n * (in_china or secretariat_in_china)
        for table, key in ((by_category, category), (by_nature, nature)):
            row = table.setdefault(key, {"total": 0, "joined": 0})
            row["total"] += n
            row["joined"] += n * joined_here
        if joined_here:
            by_country[hq_country] = by_country.get(hq_country, 0) + n
    countries = {c["pk"]: c for c in Country.objects.filter(pk__in=[pk for pk in by_country if pk]).values(
        "pk", "code", "name_zh", "name_en")}
    joined_by_country = sorted(
        ({**{f"hq_country__{name}": countries.get(pk, {}).get(name) for name in ("code", "name_zh", "name_en")},
          "n": n} for pk, n in by_country.items()), key=lambda r: (-r["n"], r["hq_country__code"] or ""))

    # Disciplines of the organizations that count: the link rows, a few per organization.
    organization_disciplines: dict[int, list[int]] = {}
    for organization, discipline in Organization.disciplines.through.objects.filter(
            organization_id__in=organizations.values("pk")).values_list("organization_id", "discipline_id"):
        organization_disciplines.setdefault(organization, []).append(discipline)
    joined_disciplines: dict[int, int] = {}
    for organization in joined_ids:
        for discipline in organization_disciplines.get(organization, ()):
            joined_disciplines[discipline] = joined_disciplines.get(discipline, 0) + 1
    planned = plans.aggregate(n=Count("id"), organizations=Count("organization", distinct=True))

    # Posts by level, organization, unit and discipline, from the held rows, counted by kind.
    post_kinds = Counter((organization, unit_of_expert, level, role) for organization, _e, unit_of_expert, level, role
                         in held)
    distinct = {"level": Counter(level for level, _e in {(level, e) for _o, e, _u, level, _r in held}),
                "organization": Counter(o for o, _e in {(o, e) for o, e, _u, _l, _r in held}),
                "unit": Counter(u for u, _e in {(u, e) for _o, e, u, _l, _r in held})}
    posts_by_level: dict[str, dict] = {}
    per_organization: dict[int, list] = {}
    per_unit: dict[int | None, list] = {}
    per_discipline: dict[int, list] = {}
    for (organization, expert_unit, level, role), n in post_kinds.items():
        leading = n if level == Level.LEADERSHIP else 0
        row = posts_by_level.setdefault(level, {"n": 0, "presidium": 0, "presidents": 0})
        row["n"] += n
        row["presidium"] += n if role in PRESIDIUM_ROLES else 0
        row["presidents"] += n if role == Role.PRESIDENT else 0
        for table, key in ((per_organization, organization), (per_unit, expert_unit)):
            counts = table.setdefault(key, [0, 0])
            counts[0] += n
            counts[1] += leading
        for discipline in organization_disciplines.get(organization, ()):
            counts = per_discipline.setdefault(discipline, [0, 0])
            counts[0] += n
            counts[1] += leading
    for level, row in posts_by_level.items():
        row["experts"] = distinct["level"][level]
    for table, name in ((per_organization, "organization"), (per_unit, "unit")):
        for key, counts in table.items():
            counts.append(distinct[name][key])
    leadership_row = posts_by_level.get(Level.LEADERSHIP, {"n": 0, "experts": 0, "presidium": 0})
    posts = {
        "total": len(held), "leadership": leadership_row["n"],
        "leadership_presidium": leadership_row["presidium"], "leadership_experts": leadership_row["experts"],
        "presidents": sum(row["presidents"] for row in posts_by_level.values()),
    }
    top = sorted(per_organization.items(), key=lambda item: (-item[1][0], item[0]))[:TOP_ORGANIZATIONS]
    names = {o["pk"]: o for o in Organization.objects.filter(pk__in=[pk for pk, _counts in top]).values(
        "pk", "name_zh", "name_en", "acronym")}
    posts_by_organization = [
        {"organization__name_zh": names[pk]["name_zh"], "organization__name_en": names[pk]["name_en"],
         "organization__acronym": names[pk]["acronym"], "n": n, "leadership": leading, "experts": experts_of}
        for pk, (n, leading, experts_of) in top]
    unit_names = dict(Unit.objects.filter(pk__in=[pk for pk in per_unit if pk]).values_list("pk", "name"))
    posts_by_unit = [
        {"expert__unit__name": unit_names.get(pk), "n": n, "leadership": leading, "experts": experts_of}
        for pk, (n, leading, experts_of) in sorted(per_unit.items(), key=lambda item: (-item[1][0], item[0] or 0))]
    disciplines = {d["pk"]: d for d in Discipline.objects.values("pk", "code", "name_zh", "name_en")}
    joined_by_discipline = sorted(
        ({"disciplines__code": disciplines[pk]["code"], "disciplines__name_zh": disciplines[pk]["name_zh"],
          "disciplines__name_en": disciplines[pk]["name_en"], "n": n} for pk, n in joined_disciplines.items()),
        key=lambda r: (-r["n"], r["disciplines__code"]))
    posts_by_discipline = sorted(
        ({"organization__disciplines__code": disciplines[pk]["code"],
          "organization__disciplines__name_zh": disciplines[pk]["name_zh"],
          "organization__disciplines__name_en": disciplines[pk]["name_en"], "n": n, "leadership": leading}
         for pk, (n, leading) in per_discipline.items()), key=lambda r: (-r["n"], r["organization__disciplines__code"]))
    presidents = list(positions.filter(role=Role.PRESIDENT).values(
        "expert__name_zh", "expert__name_en", "expert__unit__name", "organization__name_zh",
        "organization__name_en", "organization__acronym", "term_start", "term_end")
        .order_by("organization__sort_key", "expert__name_pinyin")[:PRESIDENTS_LISTED])

    conferences = Conference.objects.filter(hosted_in_china=True, year__lte=day.year)
    if unit is not None:
        conferences = conferences.filter(unit=unit)
    else:
        conferences = conferences.filter(Q(organization__isnull=True) | _counted("organization__", statuses))
    conferences_by_year = list(conferences.values("year").annotate(n=Count("id")).order_by("year"))

    eligible_q = Expert.objects.eligibility_q(day)
    reserve_q = Q(kind=ExpertKind.RESERVE)
    band_filters = {}
    for index, (low, high) in enumerate(AGE_BANDS):
        band = Q(birth_date__isnull=False)
        if high is not None:  # age ≤ high ⇔ born after the day `high + 1` years before
            band &= Q(birth_date__gt=years_before(day, high + 1))
        if low is not None:  # age ≥ low ⇔ born on or before the day `low` years before
            band &= Q(birth_date__lte=years_before(day, low))
        for kind in ExpertKind.values:
            band_filters[f"band{index}_{kind}"] = Count("id", filter=band & Q(kind=kind))
    for kind in ExpertKind.values:
        band_filters[f"unknown_{kind}"] = Count("id", filter=Q(birth_date__isnull=True, kind=kind))
    people = experts.aggregate(
        total=Count("id"), serving=Count("id", filter=Q(kind=ExpertKind.SERVING)),
        reserve=Count("id", filter=reserve_q), reserve_eligible=Count("id", filter=reserve_q & eligible_q),
        reserve_leadership=Count("id", filter=reserve_q & Q(target_leadership=True)),
        reserve_leadership_eligible=Count("id", filter=reserve_q & Q(target_leadership=True) & eligible_q),
        reserve_mid_level=Count("id", filter=reserve_q & Q(target_mid_level=True)),
        reserve_mid_level_eligible=Count("id", filter=reserve_q & Q(target_mid_level=True) & eligible_q),
        reserve_secretariat=Count("id", filter=reserve_q & Q(target_secretariat=True)),
        reserve_secretariat_eligible=Count("id", filter=reserve_q & Q(target_secretariat=True) & eligible_q),
        **band_filters,
    )
    languages = {row["language"]: row for row in ExpertLanguage.objects.filter(expert__in=experts).values(
        "language").annotate(n=Count("expert", distinct=True), reserve=Count(
            "expert", distinct=True, filter=Q(expert__kind=ExpertKind.RESERVE))).order_by()}
    # Grouped by the link rows' discipline alone (an expert is linked to a discipline once: no DISTINCT).
    experts_by_discipline = sorted(
        ({"disciplines__code": disciplines[row["disciplines"]]["code"],
          "disciplines__name_zh": disciplines[row["disciplines"]]["name_zh"],
          "disciplines__name_en": disciplines[row["disciplines"]]["name_en"], "n": row["n"], "reserve": row["reserve"]}
         for row in experts.filter(disciplines__isnull=False).values("disciplines").annotate(
             n=Count("id"), reserve=Count("id", filter=reserve_q)).order_by()),
        key=lambda r: (-r["n"], r["disciplines__code"]))

    def category_row(code, label):
        row = by_category.get(code, {"total": 0, "joined": 0})
        return [str(label), row["total"], row["joined"], _share(row["joined"], row["total"])]

    category_rows = [category_row(code, label) for code, label in Category.choices]
    if by_category.get(""):
        category_rows.append(category_row("", _("未分类")))
    nature_rows = [[str(label), by_nature.get(code, {}).get("total", 0), by_nature.get(code, {}).get("joined", 0)]
                   for code, label in Nature.choices]
    if by_nature.get(""):
        nature_rows.append([_("未填写"), by_nature[""]["total"], by_nature[""]["joined"]])
    core = by_category.get(Category.CORE, {"total": 0, "joined": 0})
    important = by_category.get(Category.IMPORTANT, {"total": 0, "joined": 0})

    figures = {
        "registry_total": registry["total"],
        "joined": registry["joined"],
        "joined_core": core["joined"], "core_total": core["total"],
        "joined_core_share": _share(core["joined"], core["total"]),
        "joined_important": important["joined"], "important_total": important["total"],
        "joined_important_share": _share(important["joined"], important["total"]),
        "planned": planned["n"], "planned_organizations": planned["organizations"],
        "hq_in_china": registry["hq_in_china"], "hq_or_secretariat_in_china": registry["hq_or_secretariat_in_china"],
        "joined_hq_in_china": registry["joined_hq_in_china"],
        "posts": posts["total"],
        "leadership_posts": posts["leadership"],
        "leadership_presidium": posts["leadership_presidium"],
        "leadership_executive": posts["leadership"] - posts["leadership_presidium"],
        "leadership_experts": posts["leadership_experts"],
        "presidents": posts["presidents"],
        "covered": registry["covered"],
        "coverage": _share(registry["covered"], registry["joined"]),
        "conferences_in_china": sum(row["n"] for row in conferences_by_year),
        "experts": people["total"], "serving": people["serving"], "reserve": people["reserve"],
        "reserve_eligible": people["reserve_eligible"],
    }

    level_rows = [[str(label), posts_by_level.get(code, {}).get("n", 0),
                   posts_by_level.get(code, {}).get("experts", 0)] for code, label in Level.choices]
    age_rows = []
    for index, (low, high) in enumerate(AGE_BANDS):
        label = (_("%(high)s 岁及以下") % {"high": high} if low is None else
                 _("%(low)s 岁及以上") % {"low": low} if high is None else
                 _("%(low)s–%(high)s 岁") % {"low": low, "high": high})
        serving, reserve = people[f"band{index}_serving"], people[f"band{index}_reserve"]
        age_rows.append([label, serving + reserve, serving, reserve])
    unknown = (people["unknown_serving"], people["unknown_reserve"])
    if any(unknown):
        age_rows.append([_("未填写出生日期"), sum(unknown), *unknown])

    tables = [
        Table("organizations_by_category", _("已加入国际组织（按类别）"),
              [_("类别"), _("名录中组织数"), _("已加入组织数"), _("已加入比例（%）")], category_rows, chart_column=2),
        Table("organizations_by_nature", _("已加入国际组织（按性质）"),
              [_("性质"), _("名录中组织数"), _("已加入组织数")], nature_rows, chart_column=2),
        Table("organizations_by_discipline", _("已加入国际组织（按学科）"), [_("学科"), _("学科代码"), _("已加入组织数")],
              [[_name(r, "disciplines__"), r["disciplines__code"], r["n"]] for r in joined_by_discipline]),
        Table("organizations_by_country", _("已加入国际组织（按总部所在国家或地区）"), [_("总部所在国家或地区"), _("已加入组织数")],
              [[_name(r, "hq_country__") if r["hq_country__code"] else _("未填写"), r["n"]]
               for r in joined_by_country], chart_column=1),
        Table("positions_by_level", _("任职人次（按层级）"), [_("层级"), _("任职人次"), _("任职专家人数")], level_rows,
              chart_column=1),
        Table("positions_by_organization", _("任职人次（按国际组织，前 %(n)s 个）") % {"n": TOP_ORGANIZATIONS},
              [_("国际组织"), _("英文缩写"), _("任职人次"), _("其中执委及以上"), _("任职专家人数")],
              [[_name(r, "organization__"), r["organization__acronym"], r["n"], r["leadership"], r["experts"]]
               for r in posts_by_organization], chart_column=2),
        Table("positions_by_discipline", _("任职人次（按国际组织所属学科）"),
              [_("学科"), _("学科代码"), _("任职人次"), _("其中执委及以上")],
              [[_name(r, "organization__disciplines__"), r["organization__disciplines__code"], r["n"], r["leadership"]]
               for r in posts_by_discipline]),
        Table("positions_by_unit", _("任职人次（按填报单位）"), [_("填报单位"), _("任职人次"), _("其中执委及以上"), _("任职专家人数")],
              [[r["expert__unit__name"] or "—", r["n"], r["leadership"], r["experts"]] for r in posts_by_unit],
              chart_column=1),
        Table("current_presidents", _("现任主席"), [_("专家"), _("国际组织"), _("英文缩写"), _("填报单位"), _("任期开始"),
                                                _("任期结束")],
              [[_name(r, "expert__"), _name(r, "organization__"), r["organization__acronym"],
                r["expert__unit__name"] or "—", r["term_start"], r["term_end"]] for r in presidents]),
        Table("conferences_by_year", _("在华举办的国际会议（按年份）"), [_("年份"), _("会议数")],
              [[r["year"], r["n"]] for r in conferences_by_year], chart_column=1),
        Table("experts_by_kind", _("专家（已任职、后备）"), [_("专家类型"), _("人数")],
              [[str(ExpertKind.SERVING.label), people["serving"]], [str(ExpertKind.RESERVE.label), people["reserve"]]],
              chart_column=1),
        Table("reserve_by_level", _("后备专家（按目标层级与推荐条件）"), [_("目标层级"), _("后备专家人数"), _("其中符合推荐条件")],
              [[str(label), people[f"reserve_{code}"], people[f"reserve_{code}_eligible"]]
               for code, label in Level.choices]
              + [[_("合计（人）"), people["reserve"], people["reserve_eligible"]]]),
        Table("experts_by_age", _("专家（按年龄段）"), [_("年龄段"), _("合计"), _("已任职专家"), _("后备专家")], age_rows,
              chart_column=1),
        Table("experts_by_language", _("专家（按外语语种）"), [_("语种"), _("专家人数"), _("其中后备专家")],
              [[str(label), languages[code]["n"], languages[code]["reserve"]]
               for code, label in Language.choices if code in languages], chart_column=1),
        Table("experts_by_discipline", _("专家（按学科）"), [_("学科"), _("学科代码"), _("专家人数"), _("其中后备专家")],
              [[_name(r, "disciplines__"), r["disciplines__code"], r["n"], r["reserve"]] for r in experts_by_discipline]),
    ]
    return Insights(as_of=day, unit=unit, include_submitted=include_submitted, figures=figures, tables=tables)


#: how long a dashboard's figures are reused at most. A change written through the services (every approval,
#: submission and return logs a ChangeLog entry) shows at once, since the cache key holds the newest entry; this
#: bounds how long a change made without one (a bulk load, `generate_data`) stays unseen. Ten minutes: the
#: figures cost about a second at national scale, and `tasks.warm_dashboard` computes them ahead only after an
#: approval.
INSIGHTS_TTL_SECONDS = 600
#: logged actions that change no figure, so the cached figures outlive them: reading an ID number, the
#: cross-unit duplicate check, 核对 (verified, unchanged), a change proposal (until the platform admin accepts it,
#: logged as an approval), a rejected proposal or registration, a deleted draft, and notices (发布, 撤回, 签收).
FIGURE_NEUTRAL_ACTIONS = (ChangeAction.REVEAL, ChangeAction.ID_CHECK, ChangeAction.VERIFY, ChangeAction.PROPOSE,
                          ChangeAction.REJECT, ChangeAction.DISCARD, ChangeAction.PUBLISH, ChangeAction.WITHDRAW,
                          ChangeAction.ACKNOWLEDGE)


def insights_cached(*, unit=None, as_of: datetime.date | None = None, include_submitted: bool = False) -> Insights:
    """`insights_compute`, reused while nothing new is logged: keyed by language (the tables hold translated
    labels), scope, day, `include_submitted` and the newest ChangeLog id of an action that may change a figure."""
    day = as_of or clock.today()
    key = (f"insights:{get_language()}:{unit.pk if unit is not None else 'all'}:{day.isoformat()}:"
           f"{int(include_submitted)}:{latest_change_id(ignoring=FIGURE_NEUTRAL_ACTIONS)}")
    return reused(key, lambda: insights_compute(unit=unit, as_of=day, include_submitted=include_submitted),
                  INSIGHTS_TTL_SECONDS)


def insights_summary(insights: Insights) -> str:
    """The text the association publishes, in its own words, from the same figures."""
    f = insights.figures
    scope = insights.unit.name if insights.unit is not None else _("全国")
    day = insights.as_of
    parts = [
        _("截至 %(year)s 年 %(month)s 月 %(day)s 日，%(scope)s") % {
            "year": day.year, "month": day.month, "day": day.day, "scope": scope},
        _("在已加入的 %(joined)s 个国际组织中任执委以上重要职务的共有 %(leadership)s 人次，其中主席、副主席、前主席、候任主席 "
          "%(presidium)s 人次，执委 %(executive)s 人次；") % {
            "joined": f["joined"], "leadership": f["leadership_posts"], "presidium": f["leadership_presidium"],
            "executive": f["leadership_executive"]},
        _("现任主席 %(presidents)s 人；%(covered)s 个已加入的国际组织中有执委以上任职，覆盖率 %(coverage)s%%；") % {
            "presidents": f["presidents"], "covered": f["covered"], "coverage": f["coverage"]},
        _("全国名录收录国际组织 %(total)s 个，其中核心类 %(core_total)s 个、已加入 %(core)s 个（%(core_share)s%%），"
          "重要类 %(important_total)s 个、已加入 %(important)s 个（%(important_share)s%%），计划加入 %(planned)s 个，"
          "总部设在中国的 %(hq)s 个；") % {
            "total": f["registry_total"], "core_total": f["core_total"], "core": f["joined_core"],
            "core_share": f["joined_core_share"], "important_total": f["important_total"],
            "important": f["joined_important"], "important_share": f["joined_important_share"],
            "planned": f["planned_organizations"], "hq": f["hq_in_china"]},
        _("在华举办国际会议 %(conferences)s 次；已任职专家 %(serving)s 人，后备专家 %(reserve)s 人，"
          "其中符合推荐条件 %(eligible)s 人。") % {
            "conferences": f["conferences_in_china"], "serving": f["serving"], "reserve": f["reserve"],
            "eligible": f["reserve_eligible"]},
    ]
    return "".join(parts)
