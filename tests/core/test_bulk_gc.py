"""`core.bulk.old_objects_frozen`: full garbage collections within the block leave out what existed before it;
`core.bulk.collector_paused`: no automatic collection within the block."""

import gc
import weakref

import pytest

from iodp.core.bulk import collector_paused, old_objects_frozen


class Node:
    def __init__(self):
        self.other = self


def test_the_objects_from_before_are_frozen_within_the_block_only():
    assert gc.get_freeze_count() == 0
    with old_objects_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_garbage_made_within_the_block_is_collected_within_it():
    with old_objects_frozen():
        cycle = Node()
        gone = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert gone() is None


def test_older_garbage_is_collected_once_the_block_ends():
    cycle = Node()
    gone = weakref.ref(cycle)
    with old_objects_frozen():
        del cycle
        gc.collect()
        assert gone() is not None  # frozen: left alone within the block
    gc.collect()
    assert gone() is None


def test_an_enclosing_freeze_is_left_as_it_is_and_an_error_unfreezes():
    gc.freeze()
    try:
        with old_objects_frozen():
            pass
        # Still frozen: the block did not unfreeze what it did not freeze. (Not `>=` the count from before: a
        # frozen object that another thread or a finalizer frees in between lowers it by one.)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    with pytest.raises(RuntimeError), old_objects_frozen():
        raise RuntimeError("the import failed")
    assert gc.get_freeze_count() == 0


def test_settle_collects_the_young_garbage_and_freezes_what_lives_until_the_block_ends():
    with old_objects_frozen() as settle:
        dropped, kept = Node(), Node()
        dropped_ref, kept_ref = weakref.ref(dropped), weakref.ref(kept)
        del dropped
        frozen = gc.get_freeze_count()
        settle()
        assert dropped_ref() is None  # garbage by then: collected, not frozen
        assert gc.get_freeze_count() > frozen  # what the step left alive is frozen too
        del kept
        gc.collect()
        assert kept_ref() is not None  # frozen: left alone within the block
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert kept_ref() is None  # and collected once it ends


def test_settle_does_nothing_within_an_enclosing_freeze():
    gc.freeze()
    try:
        with old_objects_frozen() as settle:
            cycle = Node()
            gone = weakref.ref(cycle)
            settle()
            del cycle
            gc.collect()
            assert gone() is None  # not frozen by settle: collected as always
    finally:
        gc.unfreeze()


def test_no_automatic_collection_within_a_paused_block_and_collection_resumes_after_it():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        cycle = Node()
        gone = weakref.ref(cycle)
        del cycle
        made = [[] for _ in range(100_000)]  # far past every generation's threshold: nothing collected automatically
        assert gone() is not None
        del made
    assert gc.isenabled()
    gc.collect()
    assert gone() is None


def test_a_paused_block_that_fails_resumes_collection_and_one_inside_a_pause_leaves_it_paused():
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
