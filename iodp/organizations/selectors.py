"""Reads of the organizations module: search, lists, an organization's page, a unit's memberships.

Every read starts from a model's `visible_to(user)` (approved organizations are shared; drafts only with
their unit; memberships and proposals belong to one unit).
"""

from typing import NamedTuple

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from iodp.core.pagination import rows_in_order
from iodp.core.text import normalize_text
from iodp.core.workflow import RecordStatus

from . import search_index
from .models import (
    ChangeProposal,
    Conference,
    Membership,
    MembershipRelation,
    Organization,
    ProposalStatus,
    Verification,
)
from .text import cjk_ngrams, has_cjk, normalize_query, normalize_words

#: how many rows SQL hands to the Python ranking at most (keeps search fast at national scale).
CANDIDATE_LIMIT = 200
MAX_QUERY_LENGTH = 200
#: how many results the typeahead shows unless asked for more.
TYPEAHEAD_LIMIT = 20
#: PostgreSQL's trigram word similarity from which a name is a misspelling candidate: a close one first (few rows
#: to recheck, so fast), then a looser one ("internatinal unoin pure chemisty" is 0.53 to IUPAC's name). The
#: Python ranking then decides what is shown.
WORD_SIMILARITY_THRESHOLDS = (0.6, 0.45)


class Candidate(NamedTuple):
    """What the ranking reads of a search candidate: a tuple, not a model instance (up to CANDIDATE_LIMIT of them
    are read per search, and only the few shown become Organizations: `_organizations`)."""

    pk: int
    name_zh: str
    name_en: str
    acronym: str
    search_text: str
    status: str
    sort_key: str


CANDIDATE_FIELDS = Candidate._fields


def _candidates(rows) -> list[Candidate]:
    return [Candidate(*row) for row in rows.values_list(*CANDIDATE_FIELDS)]


def _organizations(candidates) -> list[Organization]:
    """The Organizations of `candidates`, in their order (one query)."""
    found = Organization.objects.select_related("hq_country").in_bulk([c.pk for c in candidates])
    return [found[c.pk] for c in candidates if c.pk in found]


def registry_for(user):
    """Organizations this user may see, without revision rows (one row per organization)."""
    return Organization.objects.visible_to(user).filter(revision_of__isnull=True)


def _query_terms(query: str) -> tuple[str, list[str]]:
    """The normalised query and the terms SQL looks for: latin words, and runs of three Chinese characters
    (a shorter Chinese word as it is). Three characters, because a trigram index serves `LIKE '%…%'` only for
    patterns of three or more characters: every term then narrows the search through the index."""
    words = normalize_words(query)
    terms = []
    for word in words:
        if has_cjk(word):
            terms.extend(cjk_ngrams(word, 3) if len(word) > 3 else [word])
        elif len(word) >= 2:
            terms.append(word)
    unique = []
    for term in terms:
        if term not in unique:
            unique.append(term)
    return " ".join(words), unique[:12]


def _strict(base, normalized: str, terms: list[str]) -> Q:
    """Every term appears in the search text, in any order (no terms: the normalised query as one piece).

    On SQLite the terms the FTS index knows are looked up there (`search_index`); a two-character term (化学,
    which has no trigram) is looked up as " 化学 " in the character pairs, by the FTS index on SQLite and the
    trigram index on PostgreSQL (full scale, in-process, `q=化学`: PostgreSQL 103 → 48 ms, SQLite 90 → 44); a single
    character as the start of a word of the pairs (its trigram "  x" on PostgreSQL)."""
    if not terms:
        return Q(search_text__contains=normalized)
    sqlite = connections[base.db].vendor == "sqlite"
    every = Q()
    indexed = search_index.indexed_terms(terms) if sqlite else []
    pairs = [f" {term} " for term in terms if len(term) == 2]
    if indexed:
        every &= search_index.having_every_term(indexed)
    if pairs:
        every &= (search_index.having_every_term(pairs, columns=search_index.PAIRS_COLUMNS) if sqlite
                  else Q(*(Q(search_pairs__contains=pair) for pair in pairs)))
    for term in terms:
        if len(term) == 1:  # a word of the pairs starts with it exactly when the text contains it (see pairs)
            every &= Q(search_pairs__contains=f" {term}")
        elif term not in indexed and len(term) != 2:
            every &= Q(search_text__contains=term)
    return every


def _scored(rows, query: str, terms: list[str]):
    """Order `rows` by how many query terms they contain (exact acronym first) and keep a bounded number."""
    score = Value(0, output_field=IntegerField())
    for term in terms:
        score = score + Case(When(search_text__contains=term, then=Value(1)), default=Value(0),
                             output_field=IntegerField())
    score = score + Case(When(acronym__iexact=query, then=Value(100)), default=Value(0),
                         output_field=IntegerField())
    return _candidates(rows.annotate(match_score=score).order_by("-match_score", "sort_key", "pk")[:CANDIDATE_LIMIT])


def _similar_rows(base, query: str, normalized: str, terms: list[str]):
    """The misspelling reading, when no row has every term: a bounded set of rows whose names are similar.

    PostgreSQL: trigram word similarity (`%>`, served by the trigram index on search_text), most similar first.
    SQLite: the rows the FTS index ranks best (bm25) for any of the terms. Elsewhere: rows containing any longer
    term, ranked by how many they contain. Either way the Python ranking (`_rank`) then keeps only the rows that
    really look alike, so both databases find the same organizations.
    """
    if connections[base.db].vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import TrigramWordSimilarity

        for threshold in WORD_SIMILARITY_THRESHOLDS:
            with connections[base.db].cursor() as cursor:  # the `%>` operator's threshold (a session setting)
                cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(threshold)])
            rows = _candidates(base.filter(TrigramWordSimilar(F("search_text"), Value(normalized)))
                               .annotate(similarity=TrigramWordSimilarity(Value(normalized), "search_text"))
                               .order_by("-similarity", "sort_key", "pk")[:CANDIDATE_LIMIT])
            if rows:
                return rows
        return []
    if connections[base.db].vendor == "sqlite" and search_index.indexed_terms(terms):
        return _candidates(base.filter(search_index.best_having_any_term(search_index.indexed_terms(terms),
                                                                          CANDIDATE_LIMIT)))
    loose = Q()
    for term in terms:
        if len(term) >= 3 or has_cjk(term):
            loose |= Q(search_text__contains=term)
    return _scored(base.filter(loose), query, terms) if loose else []


def _ranked(rows, query: str) -> list[tuple[float, Candidate]]:
    normalized = normalize_query(query)
    scored = ((_rank(org, query, normalized), org) for org in rows)
    return [(score, org) for score, org in scored if score > 0]


def search_matches(base, query: str) -> Q:
    """The registry search, as a condition on `base` (the list's `q=`): the rows having every term of `query`
    (all of them, however many), or, when there are none, the misspelling matches exactly as the typeahead shows
    them (its best TYPEAHEAD_LIMIT, so the best one is on the list's first page whatever the list's order). The
    list therefore finds whatever the typeahead (`organization_search`) finds."""
    query = normalize_text(query)[:MAX_QUERY_LENGTH]
    normalized, terms = _query_terms(query)
    if not normalized:
        return Q() if not query else Q(pk__in=[])
    strict = _strict(base, normalized, terms)
    if base.filter(strict).exists():
        return strict
    similar = _ranked(_similar_rows(base, query, normalized, terms), query)
    return Q(pk__in=[candidate.pk for candidate in _best(similar, TYPEAHEAD_LIMIT)])


def _rank(org: Candidate, query: str, normalized: str) -> float:
    """Relevance of one candidate organization: exact acronym, exact name, prefix, contains, then fuzzy similarity."""
    q_lower = query.lower()
    name_zh, name_en, acronym = org.name_zh or "", org.name_en or "", org.acronym or ""
    if acronym and acronym.lower() == q_lower:
        return 1000
    en_normalized = normalize_query(name_en)
    if query == name_zh or q_lower == name_en.lower() or (normalized and normalized == en_normalized):
        return 950
    if (name_zh and name_zh.startswith(query)) or name_en.lower().startswith(q_lower) or (
            acronym and acronym.lower().startswith(q_lower)):
        return 850
    if (query in name_zh) or (normalized and normalized in (org.search_text or "")):
        return 750
    if has_cjk(query):
        similarity = max(fuzz.partial_ratio(query, name_zh) if name_zh else 0, fuzz.ratio(query, name_zh))
    else:
        similarity = max(fuzz.token_set_ratio(normalized, en_normalized),
                         fuzz.ratio(q_lower, acronym.lower()) if acronym else 0)
    return similarity * 6 if similarity >= 60 else 0


def _scores(base, query: str) -> list[tuple[float, Candidate]]:
    """(relevance, candidate) for the rows of `base` that match `query` (see `search_matches`): the best
    CANDIDATE_LIMIT rows with every term, else the misspelling matches."""
    query = normalize_text(query)[:MAX_QUERY_LENGTH]
    normalized, terms = _query_terms(query)
    if not normalized:
        return []
    rows = _strict_rows(base, query, normalized, terms)
    return _ranked(rows or _similar_rows(base, query, normalized, terms), query)


def _strict_rows(base, query: str, normalized: str, terms: list[str]) -> list[Candidate]:
    """At most CANDIDATE_LIMIT rows having every term: the exact acronym first, then in name order.

    Every such row contains every term, so there is nothing to score in SQL: name order is an index walk that
    stops at the limit, even when a common word ("union", "国际") is in thousands of names."""
    by_acronym = _candidates(base.filter(acronym__in={query, query.upper()})[:CANDIDATE_LIMIT])
    rest = _candidates(base.filter(_strict(base, normalized, terms)).exclude(pk__in=[c.pk for c in by_acronym])
                       .order_by("sort_key", "pk")[:CANDIDATE_LIMIT - len(by_acronym)])
    return by_acronym + rest


def _best(scored: list[tuple[float, Candidate]], limit: int) -> list[Candidate]:
    """The `limit` best of (relevance, candidate): most relevant, then approved ones, then by name."""
    ranked = [(-score, org.status != RecordStatus.APPROVED, org.sort_key, org.pk, org) for score, org in scored]
    ranked.sort(key=lambda row: row[:4])
    return [row[-1] for row in ranked[:limit]]


def organization_search(*, query: str, user, limit: int = TYPEAHEAD_LIMIT) -> list[Organization]:
    """Organizations visible to `user` matching `query` (Chinese name, English name, acronym; fuzzy), best first."""
    return _organizations(_best(_scores(registry_for(user), query), limit))


#: the relevance from which a registry entry is shown as a likely duplicate: the same acronym, a name equal
#: once normalised, a name that contains the other, or a fuzzy similarity of 88 % or more (a typo, 和 for 与).
LIKELY_DUPLICATE_SCORE = 88 * 6


class OrganizationNames:
    """What a file names an organization by (Chinese or English name, acronym) → the registry entry `user` may
    choose, loaded once per import (no query per cell)."""

    def __init__(self, user):
        self.user = user
        self._keys = None

    def load(self) -> None:
        """Read the registry's names (once; `find` does it when first asked)."""
        if self._keys is None:
            keys = {}
            for pk, name_zh, name_en, abbreviation in Organization.objects.visible_to(self.user).filter(
                    revision_of__isnull=True).order_by("pk").values_list("pk", "name_zh", "name_en", "acronym"):
                for key in (name_zh, name_en, abbreviation):
                    if key:
                        keys.setdefault(normalize_text(key).casefold(), pk)
            self._keys = keys

    def find(self, name: str, acronym: str = "") -> tuple[int | None, str]:
        """(pk, "") of the entry named `name` or `acronym`; else (None, a message that names the likely one)."""
        self.load()
        for key in (name, acronym):
            if key and normalize_text(key).casefold() in self._keys:
                return self._keys[normalize_text(key).casefold()], ""
        guess = organization_search(query=name or acronym, user=self.user, limit=1)
        hint = _("，是否为“%(name)s”？") % {"name": guess[0]} if guess else ""
        return None, _("国际组织名录中没有“%(name)s”%(hint)s请填写名录中的中文名称或英文缩写；名录中没有时请先新增国际组织。") % {
            "name": name or acronym, "hint": hint or "。"}


def similar_official_organizations(*, names, exclude=(), limit: int = 5) -> list[Organization]:
    """Official organizations whose names or acronym look like one of `names` (the fuzzy matcher of the
    typeahead, with a stricter threshold), best first."""
    best: dict[int, tuple[float, Candidate]] = {}
    base = Organization.objects.official().exclude(pk__in=[pk for pk in exclude if pk])
    for name in names:
        for score, org in _scores(base, name):
            if score >= LIKELY_DUPLICATE_SCORE and score > best.get(org.pk, (0, None))[0]:
                best[org.pk] = (score, org)
    ranked = sorted(best.values(), key=lambda row: (-row[0], row[1].sort_key, row[1].pk))
    return _organizations([candidate for _score, candidate in ranked[:limit]])


def organization_list_rows(*, user, pks) -> list[Organization]:
    """The list page's rows for the organizations `pks`, in that order, with what `organization_list` adds.

    The list pages over bare ids first (an index range, whatever the page), then reads the extras for those
    25 rows only: the correlated subqueries never run for the rows a deep page skips."""
    return rows_in_order(organization_list(user=user), pks)


def organization_list(*, user):
    """The registry list: one query with the HQ country, disciplines, member count, the latest 核对 (date and
    unit, as the organization's page shows it to everyone) and the unit's own relation (approved memberships
    only, like every count; drafts and submissions are on the unit's membership list)."""
    # A correlated subquery (not a join + GROUP BY): the page's COUNT(*) then drops it and stays cheap.
    latest_verification = Verification.objects.filter(organization=OuterRef("pk")).order_by("-verified_at", "-id")
    qs = registry_for(user).select_related("hq_country").prefetch_related("disciplines").annotate(
        member_unit_count=Coalesce(Subquery(_member_unit_counts()), Value(0)),
        last_verified_at=Subquery(latest_verification.values("verified_at")[:1]),
        last_verified_unit=Subquery(latest_verification.values("unit__name")[:1]),
    )
    if user.unit_id:
        mine = Membership.objects.official().owned_by(user.unit).filter(organization=OuterRef("pk"))
        qs = qs.annotate(my_status=Coalesce(Subquery(mine.values("relation")[:1]), Value("")))
    else:
        qs = qs.annotate(my_status=Value(""))
    return qs


def organization_page(*, user, pk):
    """One organization as its page shows it, in one query plus one per child list (never one per row): HQ and
    secretariat countries joined; disciplines, awards, governing bodies and conferences (with their country)
    prefetched; the approved member-unit count, the latest 核对 (overall, and the user's unit's) and whether the
    user may see any 修改建议 annotated.
    Raises Organization.DoesNotExist when the user may not see it."""
    latest = Verification.objects.filter(organization=OuterRef("pk")).order_by("-verified_at", "-id")
    qs = (Organization.objects.visible_to(user)
          .select_related("unit", "hq_country", "secretariat_country")
          .prefetch_related("disciplines", "awards", "governing_bodies",
                            Prefetch("conferences", queryset=Conference.objects.select_related("country")))
          .annotate(member_unit_total=Coalesce(Subquery(_member_unit_counts()), Value(0)),
                    last_verified_at=Subquery(latest.values("verified_at")[:1]),
                    last_verified_unit=Subquery(latest.values("unit__name")[:1]),
                    # most organizations have no 修改建议: the page then skips that query
                    has_proposals=Exists(ChangeProposal.objects.visible_to(user).filter(organization=OuterRef("pk")))))
    if user.unit_id:
        qs = qs.annotate(my_verified_at=Subquery(latest.filter(unit_id=user.unit_id).values("verified_at")[:1]))
    else:
        qs = qs.annotate(my_verified_at=Value(None, output_field=DateTimeField()))
    return qs.get(pk=pk)


def _member_unit_counts():
    """Correlated subquery: units whose approved membership of the outer organization is 已加入."""
    members = Membership.objects.official().filter(organization=OuterRef("pk"), relation=MembershipRelation.MEMBER,
                                                   unit__isnull=False).order_by().values("organization")
    return members.annotate(n=Count("pk")).values("n")[:1]


def memberships_for(*, user, organization=None):
    """Memberships the user may see (its unit's, in every review state; all units' for the platform admin),
    without revision rows (they are in the draft box and on their record's page)."""
    qs = Membership.objects.visible_to(user).filter(revision_of__isnull=True).select_related(
        "organization", "unit")
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs


def member_unit_count(organization) -> int:
    """Units whose membership of `organization` is approved."""
    return Membership.objects.official().filter(organization=organization, relation=MembershipRelation.MEMBER,
                                                unit__isnull=False).count()


def proposals_for(*, user, organization=None, status: str = ""):
    qs = ChangeProposal.objects.visible_to(user).select_related(
        "organization", "unit", "proposed_by").annotate(item_count=Count("items")).order_by("-created_at", "-id")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if status:
        qs = qs.filter(status=status)
    return qs


def pending_proposal_count() -> int:
    return ChangeProposal.objects.filter(status=ProposalStatus.PENDING).count()


def unit_membership_counts(unit) -> dict[str, int]:
    """The unit's approved memberships and plans, by relation."""
    rows = Membership.objects.official().filter(unit=unit).values_list("relation").annotate(n=Count("id"))
    return dict(rows)
