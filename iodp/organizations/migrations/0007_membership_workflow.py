"""Memberships and plans become workflow records (保存 → 草稿箱 / 提交 / review). The member/planned field is
renamed `relation` (the workflow's `status` is the review state) and `member_unit` becomes the workflow's
`unit`. Rows that existed before were live data: they become approved."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_rows_are_approved(apps, schema_editor):
    Membership = apps.get_model("organizations", "Membership")
    for membership in Membership.objects.all().iterator():
        membership.unit_id = membership.member_unit_id
        membership.status = "approved"
        membership.approved_at = membership.updated_at
        membership.submitted_at = membership.updated_at
        membership.updated_by_id = membership.created_by_id
        membership.save(update_fields=["unit", "status", "approved_at", "submitted_at", "updated_by"])


def back_to_member_unit(apps, schema_editor):
    Membership = apps.get_model("organizations", "Membership")
    Membership.objects.filter(revision_of__isnull=False).delete()
    for membership in Membership.objects.all().iterator():
        membership.member_unit_id = membership.unit_id
        membership.save(update_fields=["member_unit"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_unit_name_unique_except_rejected"),
        ("organizations", "0006_names_and_codes_normalized"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="membership", name="membership_one_per_unit_and_organization"),
        # The old column's index keeps its name through a rename on PostgreSQL, and the new `status` column's index
        # would take that same name: drop it first and index `relation` afresh.
        migrations.AlterField(
            model_name="membership", name="status",
            field=models.CharField(choices=[("member", "已加入"), ("planned", "计划加入")], default="member",
                                   max_length=16, verbose_name="会员状态"),
        ),
        migrations.RenameField(model_name="membership", old_name="status", new_name="relation"),
        migrations.AlterField(
            model_name="membership", name="relation",
            field=models.CharField(choices=[("member", "已加入"), ("planned", "计划加入")], db_index=True,
                                   default="member", max_length=16, verbose_name="会员状态"),
        ),
        migrations.AddField(
            model_name="membership", name="unit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.unit", verbose_name="填报单位"),
        ),
        migrations.AddField(
            model_name="membership", name="status",
            field=models.CharField(choices=[("draft", "草稿"), ("submitted", "待审核"), ("approved", "审核通过"),
                                            ("returned", "已退回")], db_index=True, default="draft", max_length=16,
                                   verbose_name="审核状态"),
        ),
        migrations.AddField(
            model_name="membership", name="revision_of",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="revisions", to="organizations.membership", verbose_name="修订自"),
        ),
        migrations.AddField(model_name="membership", name="return_reason",
                            field=models.TextField(blank=True, verbose_name="退回原因")),
        migrations.AddField(
            model_name="membership", name="updated_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="最后修改人"),
        ),
        migrations.AddField(model_name="membership", name="submitted_at",
                            field=models.DateTimeField(blank=True, null=True, verbose_name="提交时间")),
        migrations.AddField(model_name="membership", name="approved_at",
                            field=models.DateTimeField(blank=True, null=True, verbose_name="审核通过时间")),
        migrations.AlterField(model_name="membership", name="updated_at",
                              field=models.DateTimeField(auto_now=True, db_index=True, verbose_name="修改时间")),
        migrations.AlterField(model_name="membership", name="version",
                              field=models.PositiveIntegerField(default=0, verbose_name="版本")),
        migrations.RunPython(existing_rows_are_approved, back_to_member_unit),
        migrations.RemoveField(model_name="membership", name="member_unit"),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revision_of__isnull", True), ("unit__isnull", False)),
                fields=("organization", "unit"), name="membership_one_per_unit_and_organization",
                violation_error_message="本单位已登记与该组织的会员关系，请编辑已有记录。",
            ),
        ),
    ]
