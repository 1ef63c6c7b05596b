"""Experts keep the character pairs of their names and employer (`search_pairs`), filled for the rows already
stored; on PostgreSQL a trigram index on them makes a two-character search (王伟) an index lookup."""

from django.db import migrations, models

from iodp.core.data_migrations import fill_derived
from iodp.core.db import trigram_index
from iodp.core.text import character_pairs

INDEX = "experts_expert_search_pairs_trgm"


def fill_search_pairs(apps, schema_editor):
    fill_derived(apps.get_model("experts", "Expert"), "search_pairs", ("name_zh", "name_en", "employer"),
                 character_pairs, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("experts", "0004_expert_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="expert",
            name="search_pairs",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_pairs, migrations.RunPython.noop),
        trigram_index("experts_expert", INDEX, "search_pairs"),
    ]
