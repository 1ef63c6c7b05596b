"""How far a background job has come, readable by every process while the job's transaction is still open
(the `progress` cache: files shared on the host by default). Jobs are named by their kind and their row's id:
report("import", batch.pk, ...), report("export", log.pk, ...). Each report is also the job's heartbeat: a job
silent for long (`silent_for`) was stopped without a chance to record it (services.fail_silent_jobs)."""

import time

from django.core.cache import caches


def _key(kind: str, pk: int) -> str:
    return f"iodp:{kind}:{pk}"


def report(kind: str, pk: int, *, done: int, total: int) -> None:
    caches["progress"].set(_key(kind, pk), {"done": done, "total": total, "at": time.time()})


def read(kind: str, pk: int) -> dict:
    return caches["progress"].get(_key(kind, pk)) or {"done": 0, "total": 0}


def silent_for(kind: str, pk: int) -> float | None:
    """Seconds since the job last reported; None when it has not reported (queued, or nothing is kept)."""
    at = (caches["progress"].get(_key(kind, pk)) or {}).get("at")
    return None if at is None else time.time() - at


def clear(kind: str, pk: int) -> None:
    caches["progress"].delete(_key(kind, pk))
