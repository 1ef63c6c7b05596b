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


def test_the_child_knows_whether_the_caller_waits_for_it():
    """`behind()`: in the child, whether the caller came to its latest result before it was ready (a child
    that can do extra work for the caller does it only while it is not behind); in the caller, True."""
    import time

    from iodp.core.parallel import behind

    def paced(seconds):
        def work(batch):
            time.sleep(seconds)
            return batch, behind()
        return work

    def slow_caller(results):
        for result in results:
            time.sleep(0.15)  # slower than the child: it has each result ready
            yield result

    ahead = [b for _batch, b in slow_caller(worked_ahead(paced(0.03), range(14)))]
    assert not any(ahead[-5:])  # the caller no longer waits
    slow = [b for _batch, b in worked_ahead(paced(0.1), range(5))]
    assert all(slow[1:])  # the caller waits for every result
    assert behind()
