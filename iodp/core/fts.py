"""SQLite's substring indexes: FTS5 tables with the trigram tokenizer over a model's text columns.

PostgreSQL serves `LIKE '%…%'` from trigram indexes (pg_trgm); SQLite has no such index, so a search would read
every row of a table of 100,000 records. A `TrigramIndex` mirrors some columns of one table in an FTS5 table
(external content: it stores only the index), kept current by triggers, so inserts, bulk inserts and `.update()`
all reach it. Django rebuilds a table on SQLite for some schema changes, which drops its triggers: the app's
post_migrate handler calls `ensure`, which puts back whatever is missing and rebuilds the index.

A phrase of at least MIN_TERM_LENGTH characters matches the rows holding it as a substring, letter case aside
(as `icontains`; FTS5 folds the case of non-ASCII letters too, as PostgreSQL's UPPER does).
"""

# ruff: noqa: S608, S611  (table and column names are constants of the code; every value is a query parameter)

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

#: FTS5's trigram tokenizer indexes runs of three characters: shorter terms cannot use it.
MIN_TERM_LENGTH = 3


def phrase(term: str) -> str:
    """`term` as one FTS5 phrase (a substring to find)."""
    return '"' + term.replace('"', '""') + '"'


class TrigramIndex:
    """`sizes=False`: FTS5's columnsize=0, which keeps no per-row sizes (only bm25 ranking reads them, then from the
    table): writing a row costs about a third of what it does with them."""

    def __init__(self, table: str, name: str, columns: tuple[str, ...], *, sizes: bool = True):
        self.table, self.name, self.columns, self.sizes = table, name, columns, sizes

    def _triggers(self) -> dict[str, str]:
        columns = ", ".join(self.columns)
        new = ", ".join(f"new.{column}" for column in self.columns)
        old = ", ".join(f"old.{column}" for column in self.columns)
        insert = f"INSERT INTO {self.name}(rowid, {columns}) VALUES (new.id, {new});"
        delete = f"INSERT INTO {self.name}({self.name}, rowid, {columns}) VALUES ('delete', old.id, {old});"
        return {
            f"{self.name}_insert": f"CREATE TRIGGER IF NOT EXISTS {self.name}_insert AFTER INSERT ON {self.table} "
                                   f"BEGIN {insert} END",
            f"{self.name}_delete": f"CREATE TRIGGER IF NOT EXISTS {self.name}_delete AFTER DELETE ON {self.table} "
                                   f"BEGIN {delete} END",
            f"{self.name}_update": f"CREATE TRIGGER IF NOT EXISTS {self.name}_update AFTER UPDATE OF {columns} "
                                   f"ON {self.table} BEGIN {delete} {insert} END",
        }

    def ensure(self, connection) -> bool:
        """Create the FTS table and its triggers where missing (SQLite only); rebuild the index if anything was
        missing. True when it rebuilt."""
        if connection.vendor != "sqlite":
            return False
        triggers = self._triggers()
        with connection.cursor() as cursor:
            if self.table not in connection.introspection.table_names(cursor):
                return False
            cursor.execute(f"PRAGMA table_info({self.table})")
            if not set(self.columns) <= {row[1] for row in cursor.fetchall()}:
                return False  # a schema older than the index (a migration back): its own migrations build it
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s OR (type = 'trigger' AND tbl_name = %s)",
                           [self.name, self.table])
            existing = {name for (name,) in cursor.fetchall()}
            if not ({self.name} | set(triggers)) - existing:
                return False
            options = "" if self.sizes else ", columnsize=0"
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5({', '.join(self.columns)}, "
                           f"content='{self.table}', content_rowid='id', tokenize='trigram'{options})")
            for sql in triggers.values():
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')")
        return True

    def restore_after_migrate(self, sender) -> None:
        """After every migrate of `sender` (an app config): the index and its triggers are back."""
        from django.db import connections
        from django.db.models.signals import post_migrate

        def restore(sender, using, **kwargs):
            self.ensure(connections[using])

        post_migrate.connect(restore, sender=sender, weak=False, dispatch_uid=self.name)

    def drop(self, connection) -> None:
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for name in self._triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def _columns(self, columns: tuple[str, ...] | None) -> str:
        return "{" + " ".join(columns or self.columns) + "} : "

    def having_every_term(self, terms: list[str], *, columns: tuple[str, ...] | None = None,
                          drive: bool = True) -> Q:
        """Rows holding every term (each of at least MIN_TERM_LENGTH characters) in one of `columns` (default:
        all the index's columns).

        With `drive=False` a unary + keeps SQLite from driving the query by these ids: it then walks the list's
        sort index and stops at the page's end instead of sorting every match of a common word. (That form is
        written against the table's own name: use it on a top-level queryset of the model, not inside a
        relabelled subquery.)"""
        match = " AND ".join(self._columns(columns) + phrase(term) for term in terms)
        matching = f"SELECT rowid FROM {self.name} WHERE {self.name} MATCH %s"
        if drive:
            return Q(pk__in=RawSQL(matching, [match]))
        return Q(RawSQL(f'+"{self.table}"."id" IN ({matching})', [match], output_field=BooleanField()))

    def best_having_any_term(self, terms: list[str], limit: int, *, columns: tuple[str, ...] | None = None) -> Q:
        """The `limit` rows that best match any of the terms in `columns` (FTS5's bm25: rarer terms weigh more)."""
        match = " OR ".join(self._columns(columns) + phrase(term) for term in terms)
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {self.name} WHERE {self.name} MATCH %s ORDER BY rank LIMIT %s",
                               [match, limit]))
