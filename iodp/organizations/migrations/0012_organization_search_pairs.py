"""Organizations keep the character pairs of their search text (`search_pairs`), filled for the rows already
stored, so that a two-character search (化学) is an index lookup: a trigram index on PostgreSQL, and on SQLite a
second column of the FTS5 index (a new table; the first one, over search_text alone, and its triggers go)."""

from django.db import migrations, models

from iodp.core.db import analyze_after, trigram_index
from iodp.core.text import character_pairs

BATCH = 2000


def fill_search_pairs(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    db = schema_editor.connection.alias
    rows = Organization._base_manager.using(db).order_by("pk").only("pk", "search_text")
    batch = []
    for organization in rows.iterator(chunk_size=BATCH):
        organization.search_pairs = character_pairs(organization.search_text)
        batch.append(organization)
        if len(batch) == BATCH:
            Organization._base_manager.using(db).bulk_update(batch, ["search_pairs"])
            batch = []
    Organization._base_manager.using(db).bulk_update(batch, ["search_pairs"])


def replace_sqlite_index(apps, schema_editor):
    from iodp.organizations.search_index import FIRST_INDEX, INDEX

    FIRST_INDEX.drop(schema_editor.connection)
    INDEX.ensure(schema_editor.connection)


def restore_first_sqlite_index(apps, schema_editor):
    from iodp.organizations.search_index import FIRST_INDEX, INDEX

    INDEX.drop(schema_editor.connection)
    FIRST_INDEX.ensure(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0011_official_rows_indexes")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_pairs",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_pairs, migrations.RunPython.noop),
        trigram_index("organizations_organization", "organizations_org_search_pairs_trgm", "search_pairs"),
        migrations.RunPython(replace_sqlite_index, restore_first_sqlite_index),
        analyze_after("organizations_organization"),
    ]
