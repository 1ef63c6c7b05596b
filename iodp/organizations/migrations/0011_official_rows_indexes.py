"""org_official_sort_idx over official rows only and an index of the official rows' ids (see the model), with
fresh planner statistics: SQLite keeps none for a new index until ANALYZE, and guesses."""

from django.conf import settings
from django.db import migrations, models

from iodp.core.db import analyze_after


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_user_must_change_password'),
        ('organizations', '0010_revision_index'),
        ('reference', '0004_discipline_english_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='organization',
            name='org_official_sort_idx',
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(condition=models.Q(('revision_of__isnull', True)), fields=['revision_of', 'status', 'unit', 'id'], name='org_official_rows_idx'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(condition=models.Q(('revision_of__isnull', True)), fields=['status', 'sort_key'], name='org_official_sort_idx'),
        ),
        analyze_after("organizations_organization"),
    ]
