"""Database upkeep shared by the management commands that load data."""

from django.db import DEFAULT_DB_ALIAS, connections


def analyze(using: str = DEFAULT_DB_ALIAS, *, vacuum: bool = False) -> str:
    """Refresh the query planner's statistics (ANALYZE) after bulk loads, on SQLite and PostgreSQL alike.

    SQLite keeps no statistics until ANALYZE runs, and then picks indexes by guesswork; PostgreSQL's autovacuum
    gets there eventually, but not before the first requests after a load. With `vacuum`, PostgreSQL also
    VACUUMs (outside a transaction only, where VACUUM may run): freshly inserted tables have no visibility map
    yet, so until autovacuum passes every index-only scan reads the table's rows as well (a count over an
    index reads the whole table). Returns the statement run."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if vacuum and connection.vendor == "postgresql" and not connection.in_atomic_block:
            statement = "VACUUM (ANALYZE)"
        else:
            statement = "ANALYZE"
        cursor.execute(statement)
    return statement


def analyze_after(*tables: str):
    """A migration operation that refreshes the planner's statistics of `tables` after new indexes: SQLite keeps
    none for an index until ANALYZE runs, and guesses until then (PostgreSQL's autovacuum catches up, later)."""
    from django.db import migrations

    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {schema_editor.quote_name(table)}")

    return migrations.RunPython(run, migrations.RunPython.noop)


def trigram_index(table: str, name: str, expression: str):
    """A migration operation: on PostgreSQL, a trigram index (pg_trgm, GIN) named `name` on `expression` of
    `table`, which serves `LIKE '%…%'`. Without the rights to create the extension it is skipped (the search
    works without it, slower); other databases need nothing."""
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SAVEPOINT trigram_index")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)")
            except Exception:  # noqa: BLE001  (no rights to create the extension)
                cursor.execute("ROLLBACK TO SAVEPOINT trigram_index")
            else:
                cursor.execute("RELEASE SAVEPOINT trigram_index")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
