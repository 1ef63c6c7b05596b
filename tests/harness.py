"""A shared permission harness: every URL of the platform, tried as anonymous, another unit and the owner.

`all_url_patterns()` walks the URL configuration, so a new page is covered by the anonymous test the day it
is added. Apps feed `assert_isolated` with their own objects for the other-unit case.
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages anyone may open without logging in.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:register",
    "accounts:register_done",
    "set_language",
}


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin has its own login; not part of the platform UI
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _walk(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def sample_kwargs(pattern: URLPattern) -> dict:
    """Plausible values for a pattern's parameters (ids of rows that need not exist)."""
    kwargs = {}
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__
        kwargs[name] = (
            1
            if kind == "IntConverter"
            else ("00000000-0000-0000-0000-000000000000" if kind == "UUIDConverter" else "x")
        )
    return kwargs


def all_url_patterns():
    """(name, url) for every named platform URL."""
    seen = set()
    for name, pattern in _walk(get_resolver()):
        if name in seen:
            continue
        seen.add(name)
        yield name, reverse(name, kwargs=sample_kwargs(pattern) or None)


def protected_urls():
    return [(name, url) for name, url in all_url_patterns() if name not in PUBLIC_URL_NAMES]
