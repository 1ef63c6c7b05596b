"""SQLite's index for the registry search: an FTS5 table with the trigram tokenizer over `search_text`.

PostgreSQL serves `search_text LIKE '%…%'` and misspellings from its trigram index (migration 0003); SQLite has
no such index, so every search would read all 68,000 names. This FTS5 table mirrors the column (external
content: it stores only the index), kept current by triggers, so inserts, bulk inserts and `.update()` all
reach it. Django rebuilds a table on SQLite for some schema changes, which drops its triggers: after every
`migrate` (post_migrate), `ensure_sqlite_search_index` puts back whatever is missing and rebuilds the index.
"""

# ruff: noqa: S608, S611  (table names are this module's constants; every value is a query parameter)

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

TABLE = "organizations_organization"
FTS_TABLE = "organizations_org_search_fts"
#: FTS5's trigram tokenizer indexes runs of three characters: shorter terms cannot use it.
MIN_TERM_LENGTH = 3

_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        END""",
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_text ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}


def ensure_sqlite_search_index(connection) -> bool:
    """Create the FTS table and its triggers where missing (SQLite only); rebuild the index if anything was
    missing. True when it rebuilt."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return False
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s OR (type = 'trigger' AND tbl_name = %s)",
                       [FTS_TABLE, TABLE])
        existing = {name for (name,) in cursor.fetchall()}
        missing = ({FTS_TABLE} | set(_TRIGGERS)) - existing
        if not missing:
            return False
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, "
                       f"content='{TABLE}', content_rowid='id', tokenize='trigram')")
        for sql in _TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


def drop_sqlite_search_index(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def indexed_terms(terms: list[str]) -> list[str]:
    """The terms the FTS index can look up."""
    return [term for term in terms if len(term) >= MIN_TERM_LENGTH]


def having_every_term(terms: list[str]) -> Q:
    """Rows whose search text contains every term (each of at least MIN_TERM_LENGTH characters).

    The unary + keeps SQLite from driving the query by these ids: it then walks the list's sort index and stops
    at the page's end instead of sorting every match of a common word. (Written against the table's own name:
    use it on a top-level queryset of organizations, not inside a relabelled subquery.)"""
    return Q(RawSQL(f'+"{TABLE}"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)',
                    [" AND ".join(_phrase(term) for term in terms)], output_field=BooleanField()))


def best_having_any_term(terms: list[str], limit: int) -> Q:
    """The `limit` rows whose search text best matches any of the terms (FTS5's bm25: rarer terms weigh more)."""
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s",
                           [" OR ".join(_phrase(term) for term in terms), limit]))
