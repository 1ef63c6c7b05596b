"""SQLite's FTS5 search index follows the organizations table, whatever writes to it, and comes back after
a table rebuild drops its triggers."""

import pytest
from django.db import connection

from iodp.organizations import search_index
from iodp.organizations.models import Organization
from iodp.organizations.selectors import search_matches

from .factories import approved_organization

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own search index")]


def found(query: str) -> set[int]:
    return set(Organization.objects.filter(search_matches(Organization.objects.all(), query))
               .values_list("pk", flat=True))


def test_the_index_follows_saves_bulk_inserts_updates_and_deletes(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    assert found("applied chemistry") == {iupac.pk}
    bulk = Organization(name_zh="国际晶体学联合会", name_en="International Union of Crystallography", acronym="IUCr")
    bulk.compute_derived()
    [bulk] = Organization.objects.bulk_create([bulk])
    assert found("crystallography") == {bulk.pk}
    Organization.objects.filter(pk=bulk.pk).update(search_text="world crystal society")
    assert found("crystallography") == set()
    assert found("crystal society") == {bulk.pk}
    Organization.objects.filter(pk=bulk.pk).delete()
    assert found("crystal society") == set()


def test_after_migrate_the_missing_triggers_are_back_and_the_index_rebuilt(unit_user, platform_admin):
    iupac = approved_organization(platform_admin, platform_admin)
    with connection.cursor() as cursor:  # what a table rebuild on SQLite does to triggers
        cursor.execute(f"DROP TRIGGER {search_index.INDEX.name}_insert")
    late = Organization(name_zh="国际天文学联合会", name_en="International Astronomical Union", acronym="IAU")
    late.save()
    assert found("astronomical") == set()
    assert search_index.ensure_sqlite_search_index(connection) is True
    assert found("astronomical") == {late.pk}
    assert found("applied chemistry") == {iupac.pk}
    assert search_index.ensure_sqlite_search_index(connection) is False  # nothing missing: nothing rebuilt


def test_the_migration_replaces_the_first_index_with_one_over_the_pairs_too(unit_user, platform_admin):
    """After 0012 the first FTS table (search_text alone) and its triggers are gone: an insert does not write to
    a table that no longer exists, and a two-character word is found through the pairs column."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [f"{search_index.FIRST_INDEX.name}%"])
        assert cursor.fetchall() == []
    late = Organization(name_zh="国际晶体学联合会", name_en="International Union of Crystallography", acronym="IUCr")
    late.save()
    assert found("晶体") == {late.pk}
