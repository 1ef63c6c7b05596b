"""A shared permission harness: every URL of the platform, tried as anonymous, another unit and the owner.

`all_url_patterns()` walks the URL configuration, so a new page is covered by the anonymous test the day it
is added (tests/core/test_shell.py, with made-up ids). `parametrized_patterns()` and the database fingerprint
feed the isolation harness (tests/core/test_isolation.py), which fills every URL with real objects of another
unit in every workflow state.
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages anyone may open without logging in.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:register",
    "accounts:register_done",
    "set_language",
    "manual:index",  # the user manual explains registration, so it is readable before logging in
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


# --- the isolation harness: real objects of another unit, in every state ------------------------------------

def parametrized_patterns():
    """(name, pattern) of every named platform URL that takes parameters (ids, labels, actions)."""
    seen = set()
    for name, pattern in _walk(get_resolver()):
        if name in seen:
            continue
        seen.add(name)
        yield name, pattern


def url_parameters(name: str) -> dict[str, str]:
    """{kwarg: converter kind} of the named URL, e.g. {"pk": "IntConverter"}."""
    for pattern_name, pattern in parametrized_patterns():
        if pattern_name == name:
            return {key: type(conv).__name__ for key, conv in pattern.pattern.converters.items()}
    raise KeyError(name)


#: Rows that change on every request or login and say nothing about the data: left out of the fingerprint.
FINGERPRINT_EXCLUDED_FIELDS = {("accounts", "user"): {"last_login"}}
#: Audit rows a reader writes about their own reading (a list they downloaded at once): left out of the
#: fingerprint. Export jobs stay in it: another unit must not retry or remove them.
FINGERPRINT_EXCLUDED_ROWS = {("exchange", "exportlog"): {"status": "done", "finished_at__isnull": True}}


def platform_models():
    """Every model of the platform's own apps (iodp.*), the change log included."""
    from django.apps import apps

    return [m for m in apps.get_models() if m._meta.app_config.name.startswith("iodp.")]


#: Apps of static data no page writes: fingerprinted once per test rather than after every request.
STATIC_APPS = {"reference"}


def database_fingerprint(*, static: bool = True) -> dict[str, tuple[int, int]]:
    """{model label: (row count, hash of every row ordered by pk)}: equal before and after a request that
    must not write anything. `static=False` leaves out the reference tables (to check after each request
    cheaply; check them once at the end)."""
    import hashlib

    fingerprint = {}
    for model in platform_models():
        if not static and model._meta.app_label in STATIC_APPS:
            continue
        key = (model._meta.app_label, model._meta.model_name)
        excluded = FINGERPRINT_EXCLUDED_FIELDS.get(key, set())
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in excluded]
        rows = model._base_manager.all()
        if key in FINGERPRINT_EXCLUDED_ROWS:
            rows = rows.exclude(**FINGERPRINT_EXCLUDED_ROWS[key])
        rows = list(rows.order_by("pk").values_list(*fields))
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        fingerprint[model._meta.label] = (len(rows), digest)
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                links = list(through.objects.order_by("pk").values_list())
                fingerprint[f"{model._meta.label}.{m2m.name}"] = (
                    len(links), hashlib.sha256(repr(links).encode()).hexdigest())
    return fingerprint


def fingerprint_changes(before: dict, after: dict) -> list[str]:
    """What differs between two fingerprints, as "<model>: N rows -> M rows (rows changed)"."""
    changes = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, (0, "")), after.get(label, (0, ""))
        if old != new:
            changes.append(f"{label}: {old[0]} rows -> {new[0]} rows" + (" (row values changed)"
                                                                          if old[0] == new[0] else ""))
    return changes


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body_text(response) -> str:
    """What a response shows its reader, as text: the page, or every cell of a downloaded workbook."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        import io

        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return "\n".join(str(cell) for name in workbook.sheet_names
                         for row in workbook.get_sheet_by_name(name).to_python() for cell in row)
    return content.decode(errors="replace")
