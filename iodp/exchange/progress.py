"""How far a background job has come, readable by every process while the job's transaction is still open
(the `progress` cache: files shared on the host by default)."""

from django.core.cache import caches


def _key(batch_id: int) -> str:
    return f"iodp:import:{batch_id}"


def report(batch_id: int, *, done: int, total: int) -> None:
    caches["progress"].set(_key(batch_id), {"done": done, "total": total})


def read(batch_id: int) -> dict:
    return caches["progress"].get(_key(batch_id)) or {"done": 0, "total": 0}


def clear(batch_id: int) -> None:
    caches["progress"].delete(_key(batch_id))
