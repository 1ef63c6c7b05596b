"""Figures computed once and reused by every process of the host: the `shared` cache (files under var/cache;
a deployment on several hosts points `CACHES["shared"]` at Redis or the database cache).

The statistics, the progress rows and the home page's counts are keyed by what they depend on (scope, day,
language and the newest relevant ChangeLog id), so a logged change shows at once; the timeout bounds how long a
change made without a log entry (a bulk load) stays unseen. Limits that must hold across the web workers (the
cross-unit ID check) count there too.
"""

import logging
from collections.abc import Callable

from django.core.cache import caches

logger = logging.getLogger(__name__)


def shared_cache():
    return caches["shared"]


def reused(key: str, compute: Callable, timeout: int):
    """The value cached under `key`, or `compute()` stored there for `timeout` seconds. A cached value that can no
    longer be read (written by an older release, a truncated file) counts as missing."""
    store = shared_cache()
    try:
        value = store.get(key)
    except Exception:  # noqa: BLE001 -- e.g. unpickling a value of an older release after a deploy
        logger.info("Unreadable cached value %s: computed again", key, exc_info=True)
        value = None
    if value is None:
        value = compute()
        store.set(key, value, timeout)
    return value
