"""core.parallel.worked_ahead: batches worked out in a forked child without a database, in order; whatever the
child cannot do (the database) or fails at is done by the caller, whose own connection is left as it was."""

import logging
import os

import pytest

from iodp.accounts.models import User
from iodp.core.parallel import NeedsDatabase, worked_ahead

PARENT = os.getpid()


def where(batch):
    return batch, os.getpid()


def test_batches_are_worked_out_in_another_process_and_come_back_in_order():
    results = list(worked_ahead(where, range(6)))
    assert [batch for batch, _pid in results] == list(range(6))
    assert {pid for _batch, pid in results} != {PARENT} and all(pid != PARENT for _batch, pid in results)


def test_a_single_batch_is_worked_out_here():
    assert list(worked_ahead(where, [7])) == [(7, PARENT)]


@pytest.mark.django_db
def test_the_child_has_no_database_and_the_callers_connection_is_untouched(platform_admin):
    def count_users(batch):
        try:
            return batch, User.objects.count(), os.getpid()
        except NeedsDatabase:
            return batch, None, os.getpid()

    results = list(worked_ahead(count_users, range(3)))
    assert [(batch, count) for batch, count, _pid in results] == [(0, None), (1, None), (2, None)]
    assert all(pid != PARENT for _batch, _count, pid in results)
    # the caller's session (its open test transaction) goes on: a forked connection closed would have ended it
    assert User.objects.filter(pk=platform_admin.pk).exists()
    User.objects.filter(pk=platform_admin.pk).update(first_name="after the child")
    assert User.objects.get(pk=platform_admin.pk).first_name == "after the child"


def test_a_child_that_fails_hands_the_rest_to_the_caller(caplog):
    def fragile(batch):
        if os.getpid() != PARENT and batch == 2:
            raise ValueError("broken in the child")
        return batch, os.getpid()

    with caplog.at_level(logging.WARNING, logger="iodp.core.parallel"):
        results = list(worked_ahead(fragile, range(5)))
    assert [batch for batch, _pid in results] == list(range(5))
    assert all(pid != PARENT for _batch, pid in results[:2])
    assert all(pid == PARENT for _batch, pid in results[2:])
    assert "failed at batch 2" in caplog.text and "broken in the child" in caplog.text


def test_a_child_that_dies_hands_the_rest_to_the_caller(caplog):
    def mortal(batch):
        if os.getpid() != PARENT and batch == 1:
            os._exit(3)
        return batch, os.getpid()

    with caplog.at_level(logging.WARNING, logger="iodp.core.parallel"):
        results = list(worked_ahead(mortal, range(4)))
    assert [batch for batch, _pid in results] == list(range(4))
    assert results[0][1] != PARENT and all(pid == PARENT for _batch, pid in results[1:])
    assert "died at batch 1" in caplog.text


def test_a_caller_that_stops_early_leaves_no_child_behind():
    import multiprocessing

    results = worked_ahead(where, range(50))
    assert next(results)[0] == 0
    results.close()
    assert not multiprocessing.active_children()


def test_the_child_knows_how_long_its_results_wait_for_the_caller():
    """`idle()`: in the child, how long its latest result waited for the caller to take it (the time it has to
    spare for extra work); in the caller, 0."""
    import time

    from iodp.core.parallel import idle

    def paced(seconds):
        def work(batch):
            waited = idle()
            time.sleep(seconds)
            return batch, waited, "x" * 300_000  # (more than a pipe holds: the send waits for the reader)
        return work

    def slow_caller(results):
        for result in results:
            time.sleep(0.2)  # slower than the child: each result waits for it
            yield result

    ahead = [waited for _batch, waited, _text in slow_caller(worked_ahead(paced(0.02), range(8)))]
    assert all(waited > 0.1 for waited in ahead[3:]), ahead
    behind = [waited for _batch, waited, _text in worked_ahead(paced(0.1), range(5))]
    assert all(waited < 0.05 for waited in behind), behind  # the caller waits for the child instead
    assert idle() == 0
