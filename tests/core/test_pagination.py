"""`rows_in_order`: the rows a list pages over by id, read back in the page's order."""

from iodp.accounts.models import Unit
from iodp.core.pagination import rows_in_order


def test_rows_come_back_in_the_order_of_the_ids_and_missing_ones_are_left_out(unit_user, other_unit_user):
    first, second = unit_user.unit, other_unit_user.unit
    assert rows_in_order(Unit.objects.all(), [second.pk, first.pk]) == [second, first]
    assert rows_in_order(Unit.objects.all(), [first.pk, second.pk]) == [first, second]
    # A row the queryset no longer holds (deleted, or out of the user's scope) is skipped, not an error.
    assert rows_in_order(Unit.objects.exclude(pk=second.pk), [second.pk, first.pk]) == [first]
    assert rows_in_order(Unit.objects.all(), []) == []
