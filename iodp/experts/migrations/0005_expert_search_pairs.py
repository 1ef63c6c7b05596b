"""Experts keep the character pairs of their names and employer (`search_pairs`), filled for the rows already
stored; on PostgreSQL a trigram index on them makes a two-character search (王伟) an index lookup."""

from django.db import migrations, models

from iodp.core.db import trigram_index
from iodp.core.text import character_pairs

INDEX = "experts_expert_search_pairs_trgm"
BATCH = 2000


def fill_search_pairs(apps, schema_editor):
    Expert = apps.get_model("experts", "Expert")
    db = schema_editor.connection.alias
    rows = Expert._base_manager.using(db).order_by("pk").only("pk", "name_zh", "name_en", "employer")
    batch = []
    for expert in rows.iterator(chunk_size=BATCH):
        expert.search_pairs = character_pairs(expert.name_zh, expert.name_en, expert.employer)
        batch.append(expert)
        if len(batch) == BATCH:
            Expert._base_manager.using(db).bulk_update(batch, ["search_pairs"])
            batch = []
    Expert._base_manager.using(db).bulk_update(batch, ["search_pairs"])


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
