"""On PostgreSQL, trigram indexes make the experts search's `icontains` (UPPER(col) LIKE UPPER('%...%')) on the
name, the English name and the employer an index lookup at national scale; the pinyin and initials prefix
searches already use their `varchar_pattern_ops` indexes.

pg_trgm needs CREATE EXTENSION rights; without them the indexes are skipped and search still works (slower), as
for the organizations registry (organizations 0003). Other databases (SQLite) need nothing.
"""

from django.db import migrations

INDEXES = {
    "experts_expert_name_zh_trgm": "name_zh",
    "experts_expert_name_en_trgm": "name_en",
    "experts_expert_employer_trgm": "employer",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SAVEPOINT expert_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, column in INDEXES.items():
                cursor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON experts_expert '
                               f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')
        except Exception:  # noqa: BLE001  (no rights to create the extension: search works without the indexes)
            cursor.execute("ROLLBACK TO SAVEPOINT expert_trgm")
        else:
            cursor.execute("RELEASE SAVEPOINT expert_trgm")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("experts", "0003_expert_last_verified")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
