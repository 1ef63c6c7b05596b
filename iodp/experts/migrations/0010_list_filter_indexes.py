"""Indexes for the experts list's counts and its filters by level, role and age band (see the models), with fresh
planner statistics."""

from django.conf import settings
from django.db import migrations, models

from iodp.core.db import analyze_after


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_user_must_change_password'),
        ('experts', '0009_sqlite_search_index'),
        ('organizations', '0012_organization_search_pairs'),
        ('reference', '0004_discipline_english_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='expert',
            name='expert_birth_criteria_idx',
        ),
        migrations.AlterField(
            model_name='position',
            name='level',
            field=models.CharField(choices=[('leadership', '决策层'), ('mid_level', '中层'), ('secretariat', '秘书处')], max_length=16, verbose_name='层级'),
        ),
        migrations.AddIndex(
            model_name='expert',
            index=models.Index(fields=['birth_date', 'revision_of', 'kind', 'has_working_language', 'foreign_affairs_years', 'id'], name='expert_birth_criteria_idx'),
        ),
        migrations.AddIndex(
            model_name='expert',
            index=models.Index(condition=models.Q(('revision_of__isnull', True)), fields=['revision_of', 'id'], name='expert_official_rows_idx'),
        ),
        migrations.AddIndex(
            model_name='expert',
            index=models.Index(condition=models.Q(('target_leadership', True)), fields=['id'], name='expert_target_leadership_idx'),
        ),
        migrations.AddIndex(
            model_name='expert',
            index=models.Index(condition=models.Q(('target_mid_level', True)), fields=['id'], name='expert_target_mid_level_idx'),
        ),
        migrations.AddIndex(
            model_name='expert',
            index=models.Index(condition=models.Q(('target_secretariat', True)), fields=['id'], name='expert_target_secretariat_idx'),
        ),
        migrations.AddIndex(
            model_name='position',
            index=models.Index(fields=['level', 'expert'], name='position_level_expert_idx'),
        ),
        migrations.AddIndex(
            model_name='position',
            index=models.Index(fields=['role', 'expert'], name='position_role_expert_idx'),
        ),
        analyze_after("experts_expert", "experts_position"),
    ]
