"""The `shared` cache (iodp.core.caching): what one process computes or counts, every other process of the host
reads; a cached value that can no longer be read is computed again."""

import multiprocessing
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from iodp.core.caching import reused
from iodp.experts.services import _within_check_limit


def _file_caches(folder: Path) -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress"},
            "shared": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(folder)}}


def test_a_value_is_computed_once_then_reused():
    calls = []
    assert reused("k", lambda: calls.append(1) or 42, 60) == 42
    assert reused("k", lambda: calls.append(1) or 43, 60) == 42
    assert calls == [1]


def test_an_unreadable_cached_value_is_computed_again(tmp_path):
    with override_settings(CACHES=_file_caches(tmp_path)):
        assert reused("figures", lambda: {"joined": 3}, 60) == {"joined": 3}
        (stored,) = tmp_path.glob("*.djcache")
        stored.write_bytes(stored.read_bytes()[:12] + b"\x00garbage")  # an older release's or a truncated file
        assert reused("figures", lambda: {"joined": 4}, 60) == {"joined": 4}
        assert caches["shared"].get("figures") == {"joined": 4}


class _User:
    pk = 7


def _check_after(start, answer, settings_caches):
    """A second web process: waits until the first has used up the limit, then asks for one more check."""
    with override_settings(CACHES=settings_caches):
        start.wait(30)
        answer.put(_within_check_limit(_User(), "someone-else"))


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_the_id_check_limit_holds_across_processes(tmp_path, settings):
    """The limit counts in the shared cache: once one process has made IODP_ID_CHECK_LIMIT checks, another
    process of the same host is refused too (a per-process count would let each worker make its own)."""
    settings.IODP_ID_CHECK_LIMIT = 3
    file_caches = _file_caches(tmp_path)
    context = multiprocessing.get_context("fork")
    start, answer = context.Event(), context.Queue()
    other = context.Process(target=_check_after, args=(start, answer, file_caches))
    other.start()  # forked before this process counts anything: it shares no memory written afterwards
    try:
        with override_settings(CACHES=file_caches):
            assert all(_within_check_limit(_User(), f"person-{n}") for n in range(3))
            assert not _within_check_limit(_User(), "person-3")
        start.set()
        assert answer.get(timeout=30) is False
    finally:
        other.join(30)
