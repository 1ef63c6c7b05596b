"""The experts list's search: name, pinyin prefix, initials and employer; matches in pinyin order."""

import pytest
from django.db import connection

from iodp.experts import selectors

from .conftest import make_expert

pytestmark = pytest.mark.django_db


def names(user, **filters) -> list[str]:
    return [e.name_zh for e in selectors.expert_list(user=user, **filters)]


def test_a_search_lists_its_matches_in_pinyin_order(unit_user):
    for name, employer in (("王伟", "北京大学"), ("汪洋", "清华大学"), ("李王伟", "浙江大学"), ("张三", "王伟研究所")):
        make_expert(unit_user, name_zh=name, employer=employer, id_number="", birth_date=None)
    assert names(unit_user, q="王伟") == ["李王伟", "王伟", "张三"]  # li, wang, zhang: the employer matches too
    # pinyin prefix, or inside the English name (Li Wangwei), in pinyin order
    assert names(unit_user, q="wang") == ["李王伟", "王伟", "汪洋"]
    assert names(unit_user, q="ww") == ["王伟"]  # initials
    assert names(unit_user, q="WANG WEI") == ["王伟"]  # the suggested English name, any case
    assert names(unit_user, q="李王伟") == ["李王伟"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")
def test_postgresql_has_trigram_indexes_for_the_search():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'experts_expert' AND indexname LIKE %s",
                       ["%trgm"])
        indexes = {row[0] for row in cursor.fetchall()}
    assert indexes == {"experts_expert_name_zh_trgm", "experts_expert_name_en_trgm", "experts_expert_employer_trgm",
                       "experts_expert_search_pairs_trgm"}


def test_a_two_character_search_finds_what_contains_it_and_follows_every_change(unit_user):
    expert = make_expert(unit_user, name_zh="欧阳伟明", employer="中国科学院", id_number="", birth_date=None)
    make_expert(unit_user, name_zh="伟明", employer="北京大学", id_number="", birth_date=None)
    assert names(unit_user, q="阳伟") == ["欧阳伟明"]  # inside the name
    assert names(unit_user, q="科学") == ["欧阳伟明"]  # inside the employer
    assert names(unit_user, q="伟明") == ["欧阳伟明", "伟明"]
    assert names(unit_user, q="明欧") == []  # no pair across values or ends
    expert.employer = "浙江大学"
    expert.save()
    assert names(unit_user, q="科学") == [] and names(unit_user, q="大学") == ["欧阳伟明", "伟明"]


def test_the_migration_fills_the_pairs_of_experts_already_stored(unit_user):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    from iodp.experts.models import Expert

    expert = make_expert(unit_user, name_zh="王伟", employer="北京大学", id_number="", birth_date=None)
    Expert.objects.filter(pk=expert.pk).update(search_pairs="")
    migration = importlib.import_module("iodp.experts.migrations.0005_expert_search_pairs")
    migration.fill_search_pairs(apps, SimpleNamespace(connection=connection))
    expert.refresh_from_db()
    assert expert.search_pairs == " 王伟 伟 Wa an ng g We ei i 北京 京大 大学 学 "


def test_a_one_character_search_finds_every_value_containing_it(unit_user):
    """李 first, inside, last, alone, in the employer or after a space: found through the pairs as by LIKE."""
    rows = [("李明", "北京大学"), ("王李", "清华大学"), ("张李华", "浙江大学"), ("李", "复旦大学"), ("赵强", "李氏研究所"),
            ("钱伟", "中国 李 研究院"), ("孙芳", "南京大学")]
    for name, employer in rows:
        make_expert(unit_user, name_zh=name, employer=employer, id_number="", birth_date=None)
    for query in ("李", "学", "研", "院", "强"):
        expected = {name for name, employer in rows if query in name or query in employer}
        assert set(names(unit_user, q=query)) == expected, query
    assert set(names(unit_user, q="李")) == {"李明", "王李", "张李华", "李", "赵强", "钱伟"}
