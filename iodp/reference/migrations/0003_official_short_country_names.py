from django.db import migrations


def correct_country_names(apps, schema_editor):
    """Rows loaded from pycountry's catalogue (柬埔塞, 大韩民国 ...) get the official short names."""
    from iodp.reference.loader import load_all

    load_all(apps.get_model("reference", "Discipline"), apps.get_model("reference", "Region"),
             apps.get_model("reference", "Country"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0002_load_reference_data")]
    operations = [migrations.RunPython(correct_country_names, migrations.RunPython.noop)]
