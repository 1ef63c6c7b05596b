"""SQLite's index for the registry search: an FTS5 trigram table over `search_text` (`core.fts`).

PostgreSQL serves `search_text LIKE '%…%'` and misspellings from its trigram index (migration 0003)."""

from iodp.core.fts import MIN_TERM_LENGTH, TrigramIndex

INDEX = TrigramIndex("organizations_organization", "organizations_org_search_fts", ("search_text",))


def ensure_sqlite_search_index(connection) -> bool:
    return INDEX.ensure(connection)


def drop_sqlite_search_index(connection) -> None:
    INDEX.drop(connection)


def indexed_terms(terms: list[str]) -> list[str]:
    """The terms the FTS index can look up."""
    return [term for term in terms if len(term) >= MIN_TERM_LENGTH]


def having_every_term(terms: list[str]):
    """Rows whose search text contains every term, not driving the query (see `TrigramIndex.having_every_term`)."""
    return INDEX.having_every_term(terms, drive=False)


def best_having_any_term(terms: list[str], limit: int):
    return INDEX.best_having_any_term(terms, limit)
