"""SQLite's FTS5 index of the experts search follows the experts table, whatever writes to it, finds what the
LIKE search found, and comes back after a table rebuild drops its triggers."""

import pytest
from django.db import connection
from django.db.models import Q

from iodp.experts import search_index, selectors
from iodp.experts.models import Expert

from ..exchange.test_exports import download, table
from .conftest import make_expert

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own search index")]


def found(query: str) -> set[str]:
    return set(Expert.objects.filter(selectors.search_condition(query, sqlite=True)).values_list("name_zh", flat=True))


def like_found(query: str) -> set[str]:
    """What the search without the index finds (LIKE over the columns, as on any database)."""
    return set(Expert.objects.filter(selectors.search_condition(query, sqlite=False)).values_list("name_zh",
                                                                                                   flat=True))


def test_the_index_follows_saves_bulk_inserts_updates_and_deletes(unit_user):
    make_expert(unit_user, name_zh="欧阳伟明", employer="中国科学院物理研究所", id_number="", birth_date=None)
    assert found("物理研究") == {"欧阳伟明"} and found("阳伟") == {"欧阳伟明"} and found("ouyang") == {"欧阳伟明"}
    bulk = Expert(unit=unit_user.unit, name_zh="司马光", employer="北京师范大学")
    bulk.fill_derived_fields()
    [bulk] = Expert.objects.bulk_create([bulk])
    assert found("师范大学") == {"司马光"} and found("司马") == {"司马光"} and found("Sima") == {"司马光"}
    Expert.objects.filter(pk=bulk.pk).update(employer="南京大学")
    assert found("师范大学") == set()
    assert found("南京大学") == {"司马光"}
    Expert.objects.filter(pk=bulk.pk).delete()
    assert found("南京大学") == set()


def test_the_index_finds_what_the_like_search_finds(unit_user):
    for name, employer in (("王伟", "北京大学"), ("汪洋", "清华大学"), ("李王伟", "浙江大学"), ("张三", "王伟研究所"),
                           ("黄晓明", "Wangfujing Institute"), ("Émile Durand", "Université de Lyon")):
        make_expert(unit_user, name_zh=name, employer=employer, id_number="", birth_date=None)
    for query in ("王伟", "wang", "WANG WEI", "ww", "w", "李王伟", "大学", "研究所", "wangfujing", "INSTITUTE",
                  "lyon", "durand", "Émile", "x", "zzz", '"wang', "wang%", "_", "%"):
        assert found(query) == like_found(query), query
    assert found("wang") == {"王伟", "汪洋", "李王伟", "黄晓明"}  # pinyin, English name, employer


def test_after_migrate_the_missing_triggers_are_back_and_the_index_rebuilt(unit_user):
    make_expert(unit_user, name_zh="王伟", employer="北京大学", id_number="", birth_date=None)
    with connection.cursor() as cursor:  # what a table rebuild on SQLite does to triggers
        cursor.execute(f"DROP TRIGGER {search_index.INDEX.name}_insert")
    make_expert(unit_user, name_zh="李明", employer="浙江大学", id_number="", birth_date=None)
    assert found("浙江大学") == set()
    assert search_index.ensure_sqlite_search_index(connection) is True
    assert found("浙江大学") == {"李明"} and found("北京大学") == {"王伟"}
    assert search_index.ensure_sqlite_search_index(connection) is False  # nothing missing: nothing rebuilt


def test_a_searched_list_exports_with_its_child_sheets(unit_user, unit_client):
    """The export reads the child sheets through a subquery of the searched list."""
    make_expert(unit_user, name_zh="王伟", employer="北京大学", id_number="", birth_date=None)
    make_expert(unit_user, name_zh="李明", employer="浙江大学", id_number="", birth_date=None)
    workbook = download(unit_client, "experts:list", q="北京大学")
    assert [row["姓名"] for row in table(workbook["基本信息"])] == ["王伟"]
    assert Expert.objects.filter(Q(pk__in=Expert.objects.filter(selectors.search_condition("北京大学", sqlite=True))
                                           .values("pk"))).count() == 1
