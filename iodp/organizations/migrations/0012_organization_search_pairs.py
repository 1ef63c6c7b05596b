"""Organizations keep the character pairs of their search text (`search_pairs`), filled for the rows already
stored, so that a two-character search (化学) is an index lookup: a trigram index on PostgreSQL, and on SQLite a
second column of the FTS5 index (a new table; the first one, over search_text alone, and its triggers go)."""

from django.db import migrations, models

from iodp.core.data_migrations import fill_derived
from iodp.core.db import analyze_after, trigram_index
from iodp.core.text import character_pairs


def fill_search_pairs(apps, schema_editor):
    fill_derived(apps.get_model("organizations", "Organization"), "search_pairs", ("search_text",), character_pairs,
                 using=schema_editor.connection.alias)


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
