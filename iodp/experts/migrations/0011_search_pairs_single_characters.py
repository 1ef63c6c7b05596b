"""The experts' character pairs again, now with each character that ends a word on its own
(`core.text.character_pairs`): what a one-character search (李) looks up."""

from django.db import migrations

from iodp.core.db import analyze_after


def refill(apps, schema_editor):
    from importlib import import_module

    import_module("iodp.experts.migrations.0005_expert_search_pairs").fill_search_pairs(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("experts", "0010_list_filter_indexes")]
    operations = [migrations.RunPython(refill, migrations.RunPython.noop), analyze_after("experts_expert")]
