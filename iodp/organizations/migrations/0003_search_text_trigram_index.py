"""On PostgreSQL, a trigram index makes the registry search's LIKE '%...%' fast at national scale.

pg_trgm needs CREATE EXTENSION rights; without them the index is skipped and search still works (slower).
Other databases (SQLite in tests) need nothing.
"""

from django.db import migrations

INDEX = "organizations_org_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT org_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON organizations_organization "
                           "USING gin (search_text gin_trgm_ops)")
        except Exception:  # noqa: BLE001  (no rights to create the extension: search works without the index)
            cursor.execute("ROLLBACK TO SAVEPOINT org_trgm")
        else:
            cursor.execute("RELEASE SAVEPOINT org_trgm")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_registry_directory_memberships_proposals")]
    operations = [migrations.RunPython(create_index, drop_index)]
