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


# --- handed_over: the caller hands items to a child that uses them ----------------------------------------------


def gathered(items):
    return [(item, os.getpid()) for item in items]


def test_the_items_handed_over_are_used_in_another_process_in_order_and_its_result_comes_back():
    from iodp.core.parallel import handed_over

    with handed_over(gathered) as child:
        for item in range(5):
            child.hand({"item": item, "text": "x" * 100_000})  # (more than a pipe holds: a hand waits)
    assert [item["item"] for item, _pid in child.result] == list(range(5))
    assert {pid for _item, pid in child.result} != {PARENT}


def test_nothing_handed_over_gives_the_result_of_no_items():
    from iodp.core.parallel import handed_over

    with handed_over(gathered) as child:
        pass
    assert child.result == []


@pytest.mark.django_db
def test_the_child_handed_items_has_no_database_and_the_callers_connection_is_untouched(platform_admin):
    from iodp.core.parallel import handed_over

    def counts(items):
        seen = []
        for item in items:
            try:
                seen.append((item, User.objects.count()))
            except NeedsDatabase:
                seen.append((item, None))
        return seen

    with handed_over(counts) as child:
        child.hand(1)
        child.hand(2)
    assert child.result == [(1, None), (2, None)]
    User.objects.filter(pk=platform_admin.pk).update(first_name="after the child")
    assert User.objects.get(pk=platform_admin.pk).first_name == "after the child"


def test_a_child_that_fails_with_what_it_was_handed_raises_its_error_in_the_caller():
    import multiprocessing

    from iodp.core.parallel import HandedOverFailed, handed_over

    def fragile(items):
        for item in items:
            if item == 2:
                raise ValueError("broken in the child")
        return "never"

    handed = 0
    with pytest.raises(ValueError, match="broken in the child") as raised:
        with handed_over(fragile) as child:
            for item in range(200):
                child.hand(item if item == 2 else (item, "x" * 100_000))
                handed += 1
    assert handed < 200  # the caller heard of it while handing, not only at the end
    assert isinstance(raised.value.__cause__, HandedOverFailed)  # with the child's traceback
    assert "in fragile" in str(raised.value.__cause__)
    assert not multiprocessing.active_children()


def test_a_child_that_fails_at_the_end_raises_its_error_at_the_end_of_the_block():
    from iodp.core.parallel import handed_over

    def fails_at_the_end(items):
        list(items)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full") as raised:
        with handed_over(fails_at_the_end) as child:
            child.hand(1)
    assert "in fails_at_the_end" in str(raised.value.__cause__)


def test_an_error_of_the_child_that_does_not_pickle_is_reported_by_its_traceback():
    from iodp.core.parallel import HandedOverFailed, handed_over

    class Local(Exception):  # (a local class does not pickle)
        pass

    def fails(items):
        list(items)
        raise Local("not picklable")

    with pytest.raises(HandedOverFailed, match="not picklable"):
        with handed_over(fails) as child:
            child.hand(1)


class TwoArguments(Exception):
    def __init__(self, first, second):  # (pickles, but its unpickling fails: Exception pickles its args alone)
        super().__init__(f"{first} and {second}")


def test_an_error_of_the_child_that_does_not_unpickle_is_reported_by_its_traceback():
    from iodp.core.parallel import HandedOverFailed, handed_over

    def fails(items):
        list(items)
        raise TwoArguments("one", "two")

    with pytest.raises(HandedOverFailed, match="TwoArguments: one and two"):
        with handed_over(fails) as child:
            child.hand(1)


def test_a_child_that_dies_raises_in_the_caller():
    import multiprocessing

    from iodp.core.parallel import HandedOverFailed, handed_over

    def mortal(items):
        for _item in items:
            os._exit(3)

    with pytest.raises(HandedOverFailed, match="died"):
        with handed_over(mortal) as child:
            for _item in range(100):
                child.hand("x" * 100_000)
    assert not multiprocessing.active_children()


def test_an_error_in_the_callers_block_stops_the_child():
    import multiprocessing

    from iodp.core.parallel import handed_over

    with pytest.raises(KeyError):
        with handed_over(gathered) as child:
            child.hand(1)
            raise KeyError("the database failed")
    assert not multiprocessing.active_children()


def test_a_child_whose_caller_is_killed_ends():
    """The caller killed outright (SIGKILL) while its child works ahead, or waits for items: the child ends."""
    import multiprocessing
    import signal
    import time

    from iodp.core.parallel import handed_over

    from ..processes import children_of, ended

    context = multiprocessing.get_context("fork")

    def ahead():
        for _result in worked_ahead(lambda batch: "x" * 1_000_000, range(100)):  # (more than the pipe holds)
            time.sleep(60)

    def over():
        with handed_over(gathered) as child:
            child.hand(1)
            time.sleep(60)

    for caller in (ahead, over):
        process = context.Process(target=caller)
        process.start()
        children, deadline = [], time.monotonic() + 10
        while not children and time.monotonic() < deadline:
            time.sleep(0.05)
            children = children_of(process.pid)
        (child,) = children
        time.sleep(0.3)  # (the child at work: sending, or waiting for the next item)
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        assert ended(child), caller.__name__

