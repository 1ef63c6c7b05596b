from django.db import migrations


def load_english_names(apps, schema_editor):
    """Disciplines get their English names (shown when the UI is in English)."""
    from iodp.reference.loader import load_all

    load_all(apps.get_model("reference", "Discipline"), apps.get_model("reference", "Region"),
             apps.get_model("reference", "Country"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_official_short_country_names")]
    operations = [migrations.RunPython(load_english_names, migrations.RunPython.noop)]
