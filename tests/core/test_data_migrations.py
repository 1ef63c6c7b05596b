"""The data migration that normalizes names stored before normalization: old rows compare equal to new ones."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from iodp.accounts.models import Unit
from iodp.core.data_migrations import normalize_stored_values
from iodp.organizations.models import Organization

from ..conftest import make_unit_user
from ..organizations.factories import draft_organization

pytestmark = pytest.mark.django_db


def store_raw(model, pk, **values):
    """Write values as an older version of the code did, past the field's normalization."""
    table = connection.ops.quote_name(model._meta.db_table)
    for column, value in values.items():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608
                           [value, pk])


def test_stored_names_are_normalized(platform_admin):
    user = make_unit_user("first", "中国数学会")
    store_raw(Unit, user.unit.pk, name="中国数学会\u200b", admin_name=" 张\u3000三 ")
    changed = normalize_stored_values(Unit, ["name", "admin_name"], using="default")
    assert changed == [user.unit.pk]
    assert Unit.objects.values_list("name", "admin_name").get() == ("中国数学会", "张 三")


def test_a_unit_whose_normalized_name_is_taken_is_left_unchanged_with_a_warning(platform_admin, capsys):
    make_unit_user("first", "中国数学会")
    second = make_unit_user("second", "中国数学学会")
    store_raw(Unit, second.unit.pk, name="中国数学会\u200b", admin_name="李\u200b四")
    changed = normalize_stored_values(Unit, ["name", "admin_name"], using="default")
    assert changed == [second.unit.pk]  # its admin name was normalized, its name could not be
    assert Unit.objects.values_list("name", "admin_name").get(pk=second.unit.pk) == ("中国数学会\u200b", "李四")
    assert "中国数学会" in capsys.readouterr().err


def test_the_organizations_migration_refreshes_search_text_and_sort_key(unit_user):
    org = draft_organization(unit_user, name_zh="国际数学联盟", name_en="International Mathematical Union",
                             acronym="IMU")
    store_raw(Organization, org.pk, name_zh="国际\u200b数学联盟", acronym="ＩＭＵ", search_text="国际 数学联盟",
              sort_key="")
    migration = importlib.import_module("iodp.organizations.migrations.0006_names_and_codes_normalized")
    migration.normalize_names(apps, SimpleNamespace(connection=connection))
    row = Organization.objects.values("name_zh", "acronym", "search_text", "sort_key").get()
    assert (row["name_zh"], row["acronym"]) == ("国际数学联盟", "IMU")
    assert row["search_text"].startswith("国际数学联盟 | international mathematical union")
    assert row["sort_key"].startswith("guo2 ji4 shu4 xue2")
