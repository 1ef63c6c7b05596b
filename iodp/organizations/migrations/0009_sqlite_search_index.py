"""On SQLite, an FTS5 trigram index over the search column, kept current by triggers (see search_index.py).
PostgreSQL has its trigram index since 0003; nothing to do there."""

from django.db import migrations


def create_index(apps, schema_editor):
    from iodp.organizations.search_index import FIRST_INDEX  # the index of this migration (0012 replaces it)

    FIRST_INDEX.ensure(schema_editor.connection)


def drop_index(apps, schema_editor):
    from iodp.organizations.search_index import FIRST_INDEX

    FIRST_INDEX.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0008_list_sort_indexes")]
    operations = [migrations.RunPython(create_index, drop_index)]
