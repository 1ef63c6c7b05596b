"""Work that needs no database, done in a second process while this one goes on: what an import of a workbook of
10,000 experts does with its cells (about a third of its time, pure Python) on the second core of the machine,
while this process does the rest, which needs the database and writes.

`worked_ahead(function, batches)` yields `function(batch)` for each batch, in order. The batches are worked out
in a forked child, which runs ahead of the caller: while the caller uses the results of one batch, the child
works on the next ones. The child has no database: its connections are replaced, and any use of one raises
`NeedsDatabase` there (the forked connection is the parent's session, and is never touched). `function` may
catch it for one item and leave that item to the caller (see `iodp.experts.imports.parse_ahead`). A child that
fails otherwise, dies or falls silent stops, and the caller works out every batch from there itself: the
results are the same, only slower.

In the child, `idle()` says how long its last result waited for the caller to take it: the time it has to spare
for work that spares the caller some (see `iodp.experts.imports._parse_chunk`).

Nothing of the child comes back but the results: they must pickle. Where the platform cannot fork, or there is
a single batch, everything is worked out here.

`handed_over(consume)` is the other way round: the caller makes the items (reading the database) and hands them
to a forked child, which consumes them (writing an export's file with XlsxWriter, see
`iodp.exchange.xlsx.write_workbook`) while the caller makes the next ones; what `consume` returns comes back. A
child of either kind closes the caller's end of the pipe it inherited, so the caller's death ends it."""

import gc
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.reduction import ForkingPickler

from django.db import connections

from .bulk import collector_paused

logger = logging.getLogger(__name__)

#: how long the caller waits for the child's next batch before it works the batches out itself (seconds)
CHILD_WAIT_SECONDS = 120

_MISSING = object()
#: the connections a child inherited: kept referenced, so that nothing in the child ever closes them (closing a
#: forked PostgreSQL connection ends the parent's session)
_inherited: list = []


class NeedsDatabase(RuntimeError):
    """Raised in the child of `worked_ahead` by any use of the database, which only the parent has."""


class _NoDatabase:
    """What a child of `worked_ahead` has instead of each database connection."""

    def __init__(self, alias: str):
        object.__setattr__(self, "alias", alias)

    def __getattr__(self, name):
        raise NeedsDatabase(f"no database in the worked-ahead process (connection {self.alias!r}, .{name})")

    def __setattr__(self, name, value):
        raise NeedsDatabase(f"no database in the worked-ahead process (connection {self.alias!r})")


def can_fork() -> bool:
    return hasattr(os, "fork")


def worked_ahead(function: Callable, batches: Iterable) -> Iterator:
    """`function(batch)` for each of `batches`, in order, worked out in a forked child ahead of the caller (see
    the module's notes); all in this process where it cannot fork or there is only one batch."""
    batches = list(batches)
    if len(batches) < 2 or not can_fork():
        for batch in batches:
            yield function(batch)
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, receiver, function, batches), daemon=True)
    child.start()
    sender.close()
    working = True
    try:
        for index, batch in enumerate(batches):
            result = _MISSING
            if working:
                result = _received(receiver, index)
                working = result is not _MISSING
            yield function(batch) if result is _MISSING else result
    finally:
        receiver.close()
        child.join(1 if working else 0.1)
        if child.is_alive():
            child.kill()
            child.join()


def _received(receiver, index: int):
    """The child's result for batch `index`, or _MISSING when the child stopped (logged)."""
    try:
        if not receiver.poll(CHILD_WAIT_SECONDS):
            logger.warning("The worked-ahead process fell silent at batch %s; going on without it", index)
            return _MISSING
        with collector_paused():  # the results, unpickled: many new objects, kept
            outcome, value = receiver.recv()
    except (EOFError, OSError):
        logger.warning("The worked-ahead process died at batch %s; going on without it", index)
        return _MISSING
    if outcome != "done":
        logger.warning("The worked-ahead process failed at batch %s; going on without it:\n%s", index, value)
        return _MISSING
    return value


def idle() -> float:
    """In the child of `worked_ahead`: how long its latest result waited for the caller to take it (seconds),
    the time the child has to spare: a `function` that can do extra work to spare the caller some does it where
    that work takes less (where the child is the slower of the two, the caller would wait for it). Anywhere else
    (the caller working a batch out itself), 0."""
    return _idle


#: in the child of `worked_ahead`: how long its latest result waited for the caller
_idle = 0.0


def _without_database() -> None:
    """In a forked child: every database connection replaced by one that raises NeedsDatabase (the inherited ones
    kept referenced, never closed: closing a forked PostgreSQL connection ends the parent's session)."""
    for connection in connections.all(initialized_only=True):
        _inherited.append(connection)
        connections[connection.alias] = _NoDatabase(connection.alias)


def _child(sender, receiver, function: Callable, batches: list) -> None:
    """The child's side of `worked_ahead`: each batch's result sent in order; a failure sent once, and the end."""
    global _idle
    receiver.close()  # (the caller's end, inherited: held here, it would keep a send waiting if the caller died)
    _idle = 0.0
    _without_database()
    gc.disable()  # the child works the batches out and ends: what it makes is sent and dropped
    try:
        for batch in batches:
            message = ForkingPickler.dumps(("done", function(batch)))
            started = time.perf_counter()
            sender.send_bytes(message)  # (returns once the caller has read what the pipe cannot hold)
            _idle = time.perf_counter() - started
    except BrokenPipeError:
        pass  # the caller has stopped reading: nothing is waiting for the rest
    except BaseException as error:  # noqa: BLE001 -- reported to the caller, which works the batches out itself
        import traceback

        try:
            sender.send(("failed", "".join(traceback.format_exception(error))))
        except OSError:
            pass
    finally:
        sender.close()


# --- the other way round: the caller hands items to a child that uses them ---------------------------------------


class HandedOverFailed(RuntimeError):
    """The child of `handed_over` failed (its traceback is the message) or died: its work is not done."""


@contextmanager
def handed_over(consume: Callable[[Iterator], object]):
    """A forked child that runs `consume(items)` over what the caller hands it, while the caller goes on making
    the next items: `with handed_over(consume) as child: child.hand(item) ...`, then `child.result` is what
    `consume` returned. Handing an item waits while the child is still busy with the one before (what is in
    flight is one item each way: bounded memory). The child has no database (see `worked_ahead`). An error of
    the child is raised in the caller (from a HandedOverFailed holding the child's traceback; HandedOverFailed
    alone if the error does not pickle or the child died), at the next hand or at the end of the block. An
    error in the block stops the child. Only a platform that can fork has it (see `can_fork`)."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=True)
    child = context.Process(target=_consumer_child, args=(theirs, ours, consume), daemon=True)
    child.start()
    theirs.close()
    handover = _Handover(ours)
    try:
        yield handover
        handover._finish()
    finally:
        ours.close()
        child.join(0 if handover.result is _MISSING else 5)
        if child.is_alive():
            child.kill()
            child.join()


class _Handover:
    """The caller's side of `handed_over`."""

    def __init__(self, connection):
        self._connection = connection
        self.result = _MISSING

    def hand(self, item) -> None:
        try:
            self._connection.send_bytes(ForkingPickler.dumps(item))
        except OSError:  # the child has stopped reading: it failed (its report is waiting) or died
            self._raise_outcome()

    def _finish(self) -> None:
        try:
            self._connection.send_bytes(_END)
        except OSError:
            pass  # the child has already stopped: its outcome says why
        self._raise_outcome()

    def _raise_outcome(self) -> None:
        try:
            outcome, value = self._connection.recv()
        except (EOFError, OSError):
            raise HandedOverFailed("the process the work was handed over to died") from None
        if outcome == "done":
            self.result = value
            return
        error, report = value
        if error is None:
            raise HandedOverFailed(report)
        raise error from HandedOverFailed(report)  # the child's own error, as the work done here would raise it


#: what ends the items of `handed_over` (no pickle is empty)
_END = b""


def _consumer_child(connection, callers, consume: Callable[[Iterator], object]) -> None:
    callers.close()  # (the caller's end, inherited: held here, the caller's death would never end a receive)
    _without_database()
    gc.freeze()  # what the child inherited stays as it is: the collector neither walks nor copies it

    def items():
        while (message := connection.recv_bytes()) != _END:
            yield ForkingPickler.loads(message)

    try:
        outcome = ("done", consume(items()))
    except BaseException as error:  # noqa: BLE001 -- reported to the caller, which raises it
        import traceback

        report = "".join(traceback.format_exception(error))
        try:
            ForkingPickler.loads(ForkingPickler.dumps(error))
        except Exception:  # noqa: BLE001 -- an error that does not pickle (or unpickle) is reported by its
            error = None  # traceback alone
        outcome = ("failed", (error, report))
    try:
        connection.send(outcome)
    except OSError:
        pass  # the caller has gone
    finally:
        connection.close()
