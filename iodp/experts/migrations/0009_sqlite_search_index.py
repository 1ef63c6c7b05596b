"""On SQLite, an FTS5 trigram index over the columns the experts search reads, kept current by triggers (see
search_index.py). PostgreSQL has its trigram indexes since 0004 and 0005; nothing to do there."""

from django.db import migrations


def create_index(apps, schema_editor):
    from iodp.experts.search_index import ensure_sqlite_search_index

    ensure_sqlite_search_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from iodp.experts.search_index import drop_sqlite_search_index

    drop_sqlite_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("experts", "0008_revision_index")]
    operations = [migrations.RunPython(create_index, drop_index)]
