"""`__scanned`: the same rows as the plain lookup; on SQLite a unary + keeps the column from driving the query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iodp.experts.models import Expert

from ..experts.conftest import make_expert

pytestmark = pytest.mark.django_db


def test_a_scanned_test_finds_the_same_rows_and_is_no_index_term_on_sqlite(unit_user, other_unit_user):
    mine = make_expert(unit_user, name_zh="王伟", id_number="", birth_date=None)
    make_expert(other_unit_user, name_zh="李明", id_number="", birth_date=None)
    ids = Expert.objects.filter(name_zh="王伟").values("pk")
    with CaptureQueriesContext(connection) as queries:
        scanned = list(Expert.objects.filter(pk__scanned__in=ids).values_list("pk", flat=True))
        by_unit = list(Expert.objects.filter(unit__pk__scanned__in=[unit_user.unit_id]).values_list("pk", flat=True))
    assert scanned == list(Expert.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [mine.pk]
    assert by_unit == [mine.pk]
    first, second = (q["sql"] for q in queries.captured_queries)
    if connection.vendor == "sqlite":
        assert '+"experts_expert"."id" IN (SELECT' in first and '+"experts_expert"."unit_id" IN (' in second
    else:
        assert "+" not in first and "+" not in second
