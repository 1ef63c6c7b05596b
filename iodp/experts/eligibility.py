"""Whether a reserve expert meets the published criteria: flags with reasons, never hard blocks.

Criteria (thresholds are settings): age normally not above IODP_RESERVE_MAX_AGE (50); working English or
French; at least IODP_RESERVE_MIN_FOREIGN_YEARS (2) years of foreign-affairs work; multilateral or
international-organization experience preferred (a note, not a requirement).
The same rules exist twice on purpose: `expert_flags` explains one record; `ExpertQuerySet.eligible()`
filters 100,000 rows in SQL. Tests check both at the boundaries.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext

from iodp.core import clock
from iodp.core.workflow import WorkflowQuerySet


def max_age() -> int:
    return int(getattr(settings, "IODP_RESERVE_MAX_AGE", 50))


def min_foreign_years() -> Decimal:
    return Decimal(str(getattr(settings, "IODP_RESERVE_MIN_FOREIGN_YEARS", 2)))


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def born_after_for_max_age(age: int, today: datetime.date) -> datetime.date:
    """Age ≤ `age` on `today` ⇔ birth date > this date."""
    return years_before(today, age + 1)


@dataclass
class Flag:
    key: str
    ok: bool
    text: str
    required: bool = True


def expert_flags(expert, today: datetime.date | None = None) -> list[Flag]:
    """The criteria one by one, each met or not with its reason ("年龄 53，超过 50")."""
    today = today or clock.today()
    flags = []
    limit = max_age()
    age = expert.age(today)
    if age is None:
        flags.append(Flag("age", False, gettext("未填写出生日期，无法判断年龄")))
    elif age > limit:
        flags.append(Flag("age", False, gettext("年龄 %(age)s，超过 %(limit)s") % {"age": age, "limit": limit}))
    else:
        flags.append(Flag("age", True, gettext("年龄 %(age)s，不超过 %(limit)s") % {"age": age, "limit": limit}))
    if expert.has_working_language:
        flags.append(Flag("language", True, gettext("具备英语或法语工作语言能力")))
    else:
        flags.append(Flag("language", False, gettext("未填写英语或法语工作语言能力")))
    years = expert.foreign_affairs_years
    need = min_foreign_years()
    if years is None:
        flags.append(Flag("years", False, gettext("未填写涉外工作年限")))
    elif years < need:
        flags.append(Flag("years", False, gettext("涉外工作 %(years)s 年，不足 %(need)s 年")
                          % {"years": _num(years), "need": _num(need)}))
    else:
        flags.append(Flag("years", True, gettext("涉外工作 %(years)s 年，不少于 %(need)s 年")
                          % {"years": _num(years), "need": _num(need)}))
    flags.append(Flag("intl", expert.has_intl_org_experience,
                      gettext("有多边或国际组织工作经历（优先）") if expert.has_intl_org_experience
                      else gettext("无多边或国际组织工作经历（优先条件，非必需）"), required=False))
    return flags


def is_eligible(flags: list[Flag]) -> bool:
    return all(flag.ok for flag in flags if flag.required)


def _num(value) -> str:
    return format(Decimal(value).normalize(), "f")


class ExpertQuerySet(WorkflowQuerySet):
    def listed(self):
        """Rows a list shows: records, not their open revisions. Written NOT (revision_of IS NOT NULL): the same rows,
        in a form SQLite does not look up by an index that holds revision_of. Its statistics take "revision_of IS
        NULL" for a rare value (nearly every row has it), and a search then read its matches through
        expert_unit_counted_idx, one table row at a time, instead of scanning the table (bench/pages.py, SQLite,
        full scale: q=王伟 114 ms → 48 ms); PostgreSQL reads both forms alike."""
        return self.exclude(revision_of__isnull=False)

    def eligibility_q(self, today: datetime.date | None = None) -> Q:
        today = today or clock.today()
        return Q(birth_date__gt=born_after_for_max_age(max_age(), today), has_working_language=True,
                 foreign_affairs_years__gte=min_foreign_years())

    def eligible(self, today=None):
        return self.filter(self.eligibility_q(today))

    def ineligible(self, today=None):
        return self.exclude(self.eligibility_q(today))

    def failing(self, criterion: str, today=None):
        """Rows that do not meet one criterion: "age", "language", "years" or "intl"."""
        today = today or clock.today()
        if criterion == "age":
            return self.exclude(birth_date__gt=born_after_for_max_age(max_age(), today))
        if criterion == "language":
            return self.filter(has_working_language=False)
        if criterion == "years":
            return self.exclude(foreign_affairs_years__gte=min_foreign_years())
        if criterion == "intl":
            return self.filter(has_intl_org_experience=False)
        return self

    def age_between(self, low: int | None, high: int | None, today=None, *, driving: bool = True):
        """Ages from `low` to `high` inclusive, in SQL on the birth date (with `driving=False`, a test of each
        row read, not a range to start from: see `core.lookups`)."""
        today = today or clock.today()
        field = "birth_date" if driving else "birth_date__scanned"
        qs = self
        if low is not None:
            qs = qs.filter(**{f"{field}__lte": years_before(today, low)})
        if high is not None:
            qs = qs.filter(**{f"{field}__gt": born_after_for_max_age(high, today)})
        return qs
