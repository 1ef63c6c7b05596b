"""Reads of the experts module: the scoped, filtered list; one expert's page data; duplicates; an
organization's experts. Every list is one SQL query (plus one prefetch), whatever the number of rows."""

import datetime
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Prefetch, Q, Value, prefetch_related_objects
from django.db.models.functions import Coalesce

from iodp.accounts.models import Unit
from iodp.core import clock
from iodp.core.fts import MIN_TERM_LENGTH
from iodp.core.pagination import rows_in_order
from iodp.core.scoping import can_edit
from iodp.core.text import normalize_text
from iodp.core.workflow import RecordStatus

from . import search_index
from .models import Education, Employment, Expert, ExpertKind, ExpertLanguage, Position, PositionStatus


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def visible_experts(user):
    """Experts the user may open: its unit's (every one for the platform admin), without open revisions."""
    return Expert.objects.listed().visible_to(user)


def _current_positions():
    return Prefetch(
        "positions",
        queryset=Position.objects.filter(status=PositionStatus.CURRENT).select_related("organization"),
        to_attr="current_positions",
    )


def expert_list(*, user, today: datetime.date | None = None, **filters):
    """The experts list: scoped to the user, filtered in SQL (see `filter_experts`), sorted by pinyin."""
    experts = (visible_experts(user).select_related("unit", "unit__province", "last_verified_by")
               .prefetch_related(_current_positions()).order_by(*LIST_ORDER))
    return filter_experts(experts, today=today, **filters)


def expert_list_rows(*, user, pks) -> list[Expert]:
    """The list page's rows for the experts `pks`, in that order, with what `expert_list` adds (unit, province,
    current posts). The list pages over bare ids first, so the sort (and a deep page's offset) carries ids, not
    rows joined to their unit (bench/experts_list.py style, in-process, 100,000 experts, `q=wang`: PostgreSQL
    34 → 22 ms, SQLite 20 → 14)."""
    return rows_in_order(expert_list(user=user), pks)


#: the experts list's order: by pinyin (then id, so pages never overlap).
LIST_ORDER = ("name_pinyin", "id")


def search_order():
    """LIST_ORDER for a search. A search matches a few rows, found through the search indexes; sorted by the
    bare column, PostgreSQL would rather walk the whole pinyin index in order and test each row against the
    search (all of 'a…' to reach 'wang…'). The same order as an expression leaves it only the matches to sort."""
    return (Coalesce("name_pinyin", Value("")), "id")


def search_condition(q: str, *, sqlite: bool) -> Q:
    """The experts whose name, English name or employer contains `q`, or whose pinyin or initials start with it.

    PostgreSQL looks the substrings up in its trigram indexes, SQLite in its FTS5 trigram table
    (`search_index`; bench/experts_list.py, SQLite, 100,000 experts, `q=wang`: count 52 → 9 ms, page 62 → 21); the
    pinyin and initials prefixes are index ranges."""
    q = normalize_text(q)
    key = q.replace(" ", "").lower()
    if len(q) == 2 and q.upper() == q.lower():
        # Two characters without case (王伟) have no trigram to look up in the name columns: the stored
        # character pairs of the name, English name and employer hold " 王伟 " exactly when one of them
        # contains 王伟 (bench/experts_list.py, PostgreSQL, 100,000 experts: 204 ms → 9 ms).
        pair = f" {q} "
        condition = (search_index.INDEX.having_every_term([pair], columns=search_index.PAIRS_COLUMNS) if sqlite
                     else Q(search_pairs__contains=pair))
    elif len(q) == 1 and q.upper() == q.lower():
        # One character (李): a word of the pairs starts with it exactly when a value contains it; on PostgreSQL
        # the trigram "  李" of the pairs' index finds those words (a LIKE '%李%' on the values has no trigram).
        condition = Q(search_pairs__contains=f" {q}")
    elif sqlite and len(q) >= MIN_TERM_LENGTH:
        condition = search_index.INDEX.having_every_term([q], columns=search_index.NAME_COLUMNS)
    else:
        # UPPER(col) LIKE UPPER('%q%'): what the trigram indexes of these columns cover.
        condition = Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(employer__icontains=q)
    if key.isascii() and key:
        if sqlite:
            # SQLite's LIKE 'wang%' ignores ASCII case, so no index serves it; the keys are stored in lower case
            # and [key, key's successor) holds exactly the keys starting with it (BINARY order).
            successor = key[:-1] + chr(ord(key[-1]) + 1)
            condition |= (Q(name_pinyin__gte=key, name_pinyin__lt=successor)
                          | Q(name_initials__gte=key, name_initials__lt=successor))
        else:
            condition |= Q(name_pinyin__startswith=key) | Q(name_initials__startswith=key)
    return condition


def filter_experts(experts, *, q="", kind="", level="", role="", organization=None, discipline=None, language="",
                   age_min=None, age_max=None, unit=None, province="", eligibility="", term_months=None, status="",
                   position_status="", not_verified_since: datetime.date | None = None,
                   today: datetime.date | None = None, counting: bool = False):
    """`experts` narrowed by the list's filters (ids for organization, discipline and unit), in SQL; a search
    (`q`) orders its matches by `search_order`.

    With `counting`, the same experts in SQL planned for a count (the list's `CountedPaginator`): the page
    tests the age band on each row it reads in pinyin order and stops after 25 rows, where a count has no order
    to keep and reads the birth-date range of the birth-criteria index instead (SQLite, 100,000 experts,
    language English + age 30-45: count 45 → 23 ms; alone, the age band 8 → 2 ms)."""
    today = today or clock.today()
    if q:
        experts = experts.filter(search_condition(q, sqlite=connections[experts.db].vendor == "sqlite"))
        experts = experts.order_by(*search_order())
    if kind:
        experts = experts.filter(kind=kind)
    if status:
        experts = experts.filter(status=status)
    # Every test of the posts, languages and targets is `pk IN (subquery)`: the planner can then start from the
    # few experts a selective test leaves (looked up by primary key), or hash each subquery once and count the
    # official ids from their index alone, where EXISTS was evaluated for every expert row
    # (bench/experts_list.py, 100,000 experts: OR-ed EXISTS 469 ms → 90 ms; level + role, PostgreSQL, count
    # 100 ms → 35 ms, SQLite 150 ms → 10 ms). A level is held or aimed at: two OR-ed `IN`, not one
    # `IN (… UNION …)`, whose size PostgreSQL cannot estimate (it then looks up all 40,000 by primary key).
    if level and role and not role_held_at_other_levels(role, level):
        # Every post of the role is at the level, so each expert who holds the role holds the level: one
        # `IN` over the posts of both, read from their index (PostgreSQL, 100,000 experts, 决策层 + 主席: the
        # list's SQL 46 → 20 ms, its count 33 → 14 ms), where the general test below reads every post of the level.
        experts = experts.filter(pk__in=Position.objects.filter(role=role, level=level).values("expert_id"))
        level = role = ""
    if level:
        held = Position.objects.filter(level=level).values("expert_id")
        targeted = Expert.objects.filter(**{f"target_{level}": True}).values("pk")
        experts = experts.filter(Q(pk__scanned__in=held) | Q(pk__scanned__in=targeted))
    if role:
        experts = experts.filter(pk__in=Position.objects.filter(role=role).values("expert_id"))
    if position_status:
        experts = experts.filter(pk__scanned__in=Position.objects.filter(status=position_status).values("expert_id"))
    if organization:
        # One `pk IN (… UNION …)`: the planner reads both link tables by their organization index and looks the
        # few experts up by primary key, where `IN (…) OR IN (…)` filtered every expert row
        # (bench/experts_list.py, PostgreSQL, 100,000 experts: 165 ms → 9 ms for the page with its count).
        held = Position.objects.filter(organization_id=organization).order_by().values("expert_id")
        targeted = Expert.target_organizations.through.objects.filter(organization_id=organization).order_by().values(
            "expert_id")
        experts = experts.filter(pk__in=held.union(targeted))
    if discipline:
        recorded = Expert.disciplines.through.objects.filter(discipline_id=discipline).order_by().values("expert_id")
        targeted = (Expert.target_disciplines.through.objects.filter(discipline_id=discipline).order_by()
                    .values("expert_id"))
        experts = experts.filter(pk__in=recorded.union(targeted))
    if language:
        experts = experts.filter(pk__scanned__in=ExpertLanguage.objects.filter(language=language).values("expert_id"))
    if age_min is not None or age_max is not None:
        experts = experts.age_between(age_min, age_max, today, driving=counting)
    if unit:
        experts = experts.filter(unit_id=unit)
    if province:
        experts = experts.filter(unit__pk__scanned__in=Unit.objects.filter(province__code=province).values("pk"))
    if eligibility == "eligible":
        experts = experts.eligible(today)
    elif eligibility == "ineligible":
        experts = experts.ineligible(today)
    elif eligibility:
        experts = experts.failing(eligibility, today)
    if term_months:
        experts = experts.filter(pk__in=Position.objects.filter(
            status=PositionStatus.CURRENT, term_end__gte=today, term_end__lte=add_months(today, term_months))
            .values("expert_id"))
    if not_verified_since:
        experts = not_verified_since_filter(experts, not_verified_since)
    return experts


def role_held_at_other_levels(role: str, level: str) -> bool:
    """Whether any post of `role` is at a level other than `level`: its lowest and highest levels, two seeks in
    the role + level index (an `exists()` of `level < …` has PostgreSQL scan every post instead)."""
    levels = Position.objects.filter(role=role).values_list("level", flat=True)
    return {levels.order_by("level").first(), levels.order_by("-level").first()} - {level, None} != set()


def not_verified_since_filter(experts, day: datetime.date):
    """未核对自 <day>: approved records (the ones a unit checks) not checked on or after `day` (a calendar day of
    the platform's time zone), never-checked ones included."""
    return experts.filter(status=RecordStatus.APPROVED).filter(
        Q(last_verified_at__isnull=True) | Q(last_verified_at__date__lt=day))


def page_rows_loaded(expert) -> Expert:
    """`expert` with every child row its page shows loaded alongside: one query per kind of child row, whatever
    the number of positions, so the page, its snapshot and its warnings read from memory. A serving expert's
    nomination targets are not shown, so not read."""
    lookups = [
        Prefetch("positions", queryset=Position.objects.select_related("organization").order_by("term_start", "id")),
        "languages",
        Prefetch("education", queryset=Education.objects.select_related("country")),
        Prefetch("employment", queryset=Employment.objects.select_related("country")),
        "disciplines",
    ]
    if expert.kind != ExpertKind.SERVING:
        lookups.extend(Expert.nomination_target_fields)
    prefetch_related_objects([expert], *lookups)
    return expert


def expert_page(expert):
    """Child rows of one expert's page (positions with their organizations, in term order); read from what
    `page_rows_loaded` loaded."""
    serving = expert.kind == ExpertKind.SERVING
    return {
        "positions": list(expert.positions.all()),
        "languages": list(expert.languages.all()),
        "education": list(expert.education.all()),
        "employment": list(expert.employment.all()),
        "disciplines": list(expert.disciplines.all()),
        "target_organizations": [] if serving else list(expert.target_organizations.all()),
        "target_disciplines": [] if serving else list(expert.target_disciplines.all()),
    }


def timeline_warnings(expert) -> list[str]:
    """Overlapping periods in education or employment (reported, not blocked: people do hold two jobs)."""
    from django.utils.translation import gettext

    warnings = []
    for label, rows in ((gettext("教育经历"), expert.education.all()), (gettext("工作经历"), expert.employment.all())):
        dated = sorted((r for r in rows if r.start), key=lambda r: r.start)
        for earlier, later in zip(dated, dated[1:], strict=False):
            end = earlier.end or datetime.date.max
            if later.start < end:
                warnings.append(gettext("%(label)s时间重叠：“%(a)s”与“%(b)s”。")
                                % {"label": label, "a": earlier.institution, "b": later.institution})
    return warnings


@dataclass
class Duplicate:
    reason: str
    expert: Expert | None  # None when the viewer may not see it
    unit_name: str


def expert_duplicates(expert) -> list[Expert]:
    """Other records of the same person anywhere on the platform: same ID number, or same name and birth date."""
    condition = Q()
    if expert.id_key:
        condition |= Q(id_key=expert.id_key)
    if expert.name_zh and expert.birth_date:
        condition |= Q(name_zh=expert.name_zh, birth_date=expert.birth_date)
    if not condition:
        return []
    official_id = expert.revision_of_id or expert.pk
    return list(Expert.objects.listed().filter(condition).exclude(pk=official_id).select_related("unit"))


def expert_duplicates_many(experts) -> list[list[Expert]]:
    """`expert_duplicates` of many experts (an import's, saved or not), in one query: each one's other records."""
    keys = {e.id_key for e in experts if e.id_key}
    pairs = {(e.name_zh, e.birth_date) for e in experts if e.name_zh and e.birth_date}
    if not keys and not pairs:
        return [[] for _e in experts]
    # The records of the batch that have each key (a record found only by itself is no one's duplicate).
    having_key, having_pair = {}, {}
    for expert in experts:
        official_id = expert.revision_of_id or expert.pk
        if expert.id_key:
            having_key.setdefault(expert.id_key, set()).add(official_id)
        if expert.name_zh and expert.birth_date:
            having_pair.setdefault((expert.name_zh, expert.birth_date), set()).add(official_id)

    def someone_elses(pk, id_key, pair) -> bool:
        return bool((id_key and having_key.get(id_key, set()) - {pk}) or having_pair.get(pair, set()) - {pk})

    # One query per key, each by its own index (the two conditions OR-ed scan every record). The second looks
    # up the batch's names only (the index's first column, one look-up per name; adding its birth dates would
    # cross every name with every date, a look-up per combination): read the keys of what they find first,
    # keep the records whose name and birth date are a pair of the batch, and fetch whole rows only for the
    # real matches (an import's own new records match themselves: not fetched).
    conditions = ([Q(id_key__in=keys)] if keys else []) + ([Q(name_zh__in={n for n, _b in pairs})] if pairs else [])
    matches = sorted({pk for condition in conditions for pk, id_key, name, born in Expert.objects.listed()
                      .filter(condition).values_list("pk", "id_key", "name_zh", "birth_date")
                      if someone_elses(pk, id_key, (name, born))})
    by_key, by_pair = {}, {}
    for other in Expert.objects.filter(pk__in=matches).select_related("unit").order_by("pk") if matches else ():
        if other.id_key:
            by_key.setdefault(other.id_key, []).append(other)
        by_pair.setdefault((other.name_zh, other.birth_date), []).append(other)
    found = []
    for expert in experts:
        official_id = expert.revision_of_id or expert.pk
        candidates = {o.pk: o for o in by_key.get(expert.id_key, []) if expert.id_key}
        if expert.name_zh and expert.birth_date:
            candidates.update({o.pk: o for o in by_pair.get((expert.name_zh, expert.birth_date), [])})
        found.append([o for pk, o in sorted(candidates.items()) if pk != official_id])
    return found


def duplicate_reason(expert, other) -> str:
    from django.utils.translation import gettext

    return gettext("证件号码相同") if expert.id_key and other.id_key == expert.id_key else gettext("姓名和出生日期相同")


def duplicate_report(expert, user, *, found=None) -> list[Duplicate]:
    """The duplicates the user may see in full: its own unit's rows (every row for the platform admin). Whether
    another unit has recorded the person is not a read: it is the throttled, audited
    `services.expert_duplicate_check`. `found`: the expert's `expert_duplicates`, when already looked up."""
    return [Duplicate(duplicate_reason(expert, other), other, other.unit.name if other.unit else "")
            for other in (expert_duplicates(expert) if found is None else found)
            if can_edit(user, other)]  # an expert is seen by its owners only


def recorded_elsewhere(expert, user, *, found=None) -> list[str]:
    """Why another unit's rows match (each reason once): nothing that tells who, where or how many."""
    reasons = []
    for other in (expert_duplicates(expert) if found is None else found):
        if not can_edit(user, other):
            reason = duplicate_reason(expert, other)
            if reason not in reasons:
                reasons.append(reason)
    return reasons


def duplicate_groups(limit: int = 200):
    """For the platform admin: (key kind, experts) groups recorded more than once, by ID or name + birth date."""
    groups = []
    ids = (Expert.objects.listed().exclude(id_key="").values("id_key").annotate(n=Count("id")).filter(n__gt=1)
           .values_list("id_key", flat=True)[:limit])
    for key in ids:
        groups.append(("id", list(Expert.objects.listed().filter(id_key=key).select_related("unit").order_by("id"))))
    pairs = (Expert.objects.listed().exclude(birth_date=None).values("name_zh", "birth_date").annotate(n=Count("id"))
             .filter(n__gt=1).values_list("name_zh", "birth_date")[:limit])
    seen = {e.pk for _kind, group in groups for e in group}
    for name, born in pairs:
        group = list(Expert.objects.listed().filter(name_zh=name, birth_date=born).select_related("unit")
                     .order_by("id"))
        if not {e.pk for e in group} <= seen:
            groups.append(("name", group))
    return groups


def positions_for_organization(*, organization, user):
    """The posts held in `organization` by experts the user may see (its unit's; all for the platform admin)."""
    return (Position.objects.filter(organization=organization, expert__revision_of__isnull=True).visible_to(user)
            .select_related("expert", "expert__unit").order_by("status", "-term_start", "id"))


def expert_counts(*, unit=None) -> dict[str, int]:
    """Recorded experts by kind (records, not open revisions), for one unit or nationally."""
    experts = Expert.objects.listed()
    if unit is not None:
        experts = experts.filter(unit=unit)
    counts = dict(experts.values_list("kind").annotate(n=Count("id")).order_by())
    return counts

