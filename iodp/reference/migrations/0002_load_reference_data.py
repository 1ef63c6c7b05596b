from django.db import migrations


def load(apps, schema_editor):
    from iodp.reference.loader import load_all

    load_all(apps.get_model("reference", "Discipline"), apps.get_model("reference", "Region"),
             apps.get_model("reference", "Country"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
