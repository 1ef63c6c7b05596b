"""Reads of the organizations module: search, lists, an organization's page, a unit's memberships.

Every read starts from a model's `visible_to(user)` (approved organizations are shared; drafts only with
their unit; memberships and proposals belong to one unit).
"""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from rapidfuzz import fuzz

from iodp.core.text import normalize_text
from iodp.core.workflow import RecordStatus

from .models import ChangeProposal, Membership, MembershipRelation, Organization, ProposalStatus, Verification
from .text import cjk_bigrams, has_cjk, normalize_query, normalize_words

#: how many rows SQL hands to the Python ranking at most (keeps search fast at national scale).
CANDIDATE_LIMIT = 200
MAX_QUERY_LENGTH = 200


def registry_for(user):
    """Organizations this user may see, without revision rows (one row per organization)."""
    return Organization.objects.visible_to(user).filter(revision_of__isnull=True)


def _query_terms(query: str) -> tuple[str, list[str]]:
    """The normalised query and the terms SQL looks for (latin words, Chinese character pairs)."""
    words = normalize_words(query)
    terms = []
    for word in words:
        if has_cjk(word):
            terms.extend(cjk_bigrams(word) if len(word) > 2 else [word])
        elif len(word) >= 2:
            terms.append(word)
    unique = []
    for term in terms:
        if term not in unique:
            unique.append(term)
    return " ".join(words), unique[:12]


def search_filter(query: str) -> Q:
    """SQL condition for the list page: the query, or every term of it, appears in one of the names.

    Only the indexed, normalised search column is read, so any spelling matches and it stays fast.
    """
    query = normalize_text(query)[:MAX_QUERY_LENGTH]
    normalized, terms = _query_terms(query)
    if not normalized:
        return Q() if not query else Q(pk__in=[])
    condition = Q(search_text__contains=normalized)
    if terms:
        every = Q()
        for term in terms:
            every &= Q(search_text__contains=term)
        condition |= every
    return condition


def _scored(rows, query: str, terms: list[str]):
    """Order `rows` by how many query terms they contain (exact acronym first) and keep a bounded number."""
    score = Value(0, output_field=IntegerField())
    for term in terms:
        score = score + Case(When(search_text__contains=term, then=Value(1)), default=Value(0),
                             output_field=IntegerField())
    score = score + Case(When(acronym__iexact=query, then=Value(100)), default=Value(0),
                         output_field=IntegerField())
    return list(rows.annotate(match_score=score).select_related("hq_country")
                .order_by("-match_score", "sort_key", "pk")[:CANDIDATE_LIMIT])


def _candidates(base, query: str):
    """A bounded set of candidate rows, in SQL on the indexed search column.

    First the strict reading (the whole normalised query, or every term, appears in a name); only when that
    finds too few, any term (misspellings and partial names), ranked by how many terms match.
    """
    normalized, terms = _query_terms(query)
    if not normalized:
        return []
    strict = Q(search_text__contains=normalized)
    if terms:
        every = Q()
        for term in terms:
            every &= Q(search_text__contains=term)
        strict |= every
    rows = _scored(base.filter(strict), query, terms)
    if rows or not terms:
        return rows
    loose = Q()
    for term in terms:
        if len(term) >= 3 or has_cjk(term):
            loose |= Q(search_text__contains=term)
    return _scored(base.filter(loose), query, terms) if loose else []


def _rank(org, query: str, normalized: str) -> float:
    """Relevance of one organization: exact acronym, exact name, prefix, contains, then fuzzy similarity."""
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


def _scores(base, query: str) -> list[tuple[float, Organization]]:
    """(relevance, organization) for the rows of `base` that match `query` at all."""
    query = normalize_text(query)[:MAX_QUERY_LENGTH]
    if not query:
        return []
    normalized = normalize_query(query)
    scored = ((_rank(org, query, normalized), org) for org in _candidates(base, query))
    return [(score, org) for score, org in scored if score > 0]


def organization_search(*, query: str, user, limit: int = 20) -> list[Organization]:
    """Organizations visible to `user` matching `query` (Chinese name, English name, acronym; fuzzy), best first."""
    ranked = [(-score, org.status != RecordStatus.APPROVED, org.sort_key, org.pk, org)
              for score, org in _scores(registry_for(user), query)]
    ranked.sort(key=lambda row: row[:4])
    return [row[-1] for row in ranked[:limit]]


#: the relevance from which a registry entry is shown as a likely duplicate: the same acronym, a name equal
#: once normalised, a name that contains the other, or a fuzzy similarity of 88 % or more (a typo, 和 for 与).
LIKELY_DUPLICATE_SCORE = 88 * 6


def similar_official_organizations(*, names, exclude=(), limit: int = 5) -> list[Organization]:
    """Official organizations whose names or acronym look like one of `names` (the fuzzy matcher of the
    typeahead, with a stricter threshold), best first."""
    best: dict[int, tuple[float, Organization]] = {}
    base = Organization.objects.official().exclude(pk__in=[pk for pk in exclude if pk])
    for name in names:
        for score, org in _scores(base, name):
            if score >= LIKELY_DUPLICATE_SCORE and score > best.get(org.pk, (0, None))[0]:
                best[org.pk] = (score, org)
    ranked = sorted(best.values(), key=lambda row: (-row[0], row[1].sort_key, row[1].pk))
    return [org for _score, org in ranked[:limit]]


def organization_list(*, user):
    """The registry list: one query with the HQ country, disciplines, member count, the latest 核对 (date and
    unit, as the organization's page shows it to everyone) and the unit's own relation (approved memberships
    only, like every count; drafts and submissions are on the unit's membership list)."""
    # A correlated subquery (not a join + GROUP BY): the page's COUNT(*) then drops it and stays cheap.
    members = Membership.objects.official().filter(organization=OuterRef("pk"), relation=MembershipRelation.MEMBER,
                                                   unit__isnull=False).order_by().values("organization")
    latest_verification = Verification.objects.filter(organization=OuterRef("pk")).order_by("-verified_at", "-id")
    qs = registry_for(user).select_related("hq_country").prefetch_related("disciplines").annotate(
        member_unit_count=Coalesce(Subquery(members.annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        last_verified_at=Subquery(latest_verification.values("verified_at")[:1]),
        last_verified_unit=Subquery(latest_verification.values("unit__name")[:1]),
    )
    if user.unit_id:
        mine = Membership.objects.official().owned_by(user.unit).filter(organization=OuterRef("pk"))
        qs = qs.annotate(my_status=Coalesce(Subquery(mine.values("relation")[:1]), Value("")))
    else:
        qs = qs.annotate(my_status=Value(""))
    return qs


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
