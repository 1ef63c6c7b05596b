"""Indexes for the registry list's sorts (pinyin, founding year either way), each ending in the pk, over the rows
the list shows (no revision rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0007_membership_workflow'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(models.F('sort_key'), models.F('id'), condition=models.Q(('revision_of__isnull', True)), name='org_pinyin_sort_idx'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(models.ExpressionWrapper(models.Q(('founded_year__isnull', True)), output_field=models.BooleanField()), models.F('founded_year'), models.F('sort_key'), models.F('id'), condition=models.Q(('revision_of__isnull', True)), name='org_founded_sort_idx'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(models.ExpressionWrapper(models.Q(('founded_year__isnull', True)), output_field=models.BooleanField()), models.OrderBy(models.F('founded_year'), descending=True), models.F('sort_key'), models.F('id'), condition=models.Q(('revision_of__isnull', True)), name='org_founded_desc_sort_idx'),
        ),
    ]
