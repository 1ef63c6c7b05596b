"""SQLite's index for the registry search: an FTS5 trigram table over `search_text` and `search_pairs`
(`core.fts`).

PostgreSQL serves `search_text LIKE '%…%'` and misspellings from its trigram index (migration 0003), and a
two-character search from the one on `search_pairs` (0012)."""

from iodp.core.fts import MIN_TERM_LENGTH, TrigramIndex

INDEX = TrigramIndex("organizations_organization", "organizations_org_search_v2_fts", ("search_text", "search_pairs"))
#: the index of migrations 0009 to 0011 (search_text alone), which 0012 replaces.
FIRST_INDEX = TrigramIndex("organizations_organization", "organizations_org_search_fts", ("search_text",))
TEXT_COLUMNS = ("search_text",)
PAIRS_COLUMNS = ("search_pairs",)


def ensure_sqlite_search_index(connection) -> bool:
    return INDEX.ensure(connection)


def drop_sqlite_search_index(connection) -> None:
    INDEX.drop(connection)


def indexed_terms(terms: list[str]) -> list[str]:
    """The terms the FTS index can look up."""
    return [term for term in terms if len(term) >= MIN_TERM_LENGTH]


def having_every_term(terms: list[str], columns=TEXT_COLUMNS):
    """Rows whose search text (or pairs) contains every term, not driving the query (see
    `TrigramIndex.having_every_term`)."""
    return INDEX.having_every_term(terms, columns=columns, drive=False)


def best_having_any_term(terms: list[str], limit: int):
    return INDEX.best_having_any_term(terms, limit, columns=TEXT_COLUMNS)
