"""`core.bulk.old_objects_frozen`: full garbage collections within the block leave out what existed before it."""

import gc
import weakref

import pytest

from iodp.core.bulk import old_objects_frozen


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
