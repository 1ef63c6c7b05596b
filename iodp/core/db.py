"""Database upkeep shared by the management commands that load data."""

from django.db import DEFAULT_DB_ALIAS, connections


def analyze(using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the query planner's statistics (ANALYZE) after bulk loads, on SQLite and PostgreSQL alike.

    SQLite keeps no statistics until ANALYZE runs, and then picks indexes by guesswork; PostgreSQL's autovacuum
    gets there eventually, but not before the first requests after a load."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
