"""Every page without path arguments survives hostile query strings: huge, negative, non-numeric, NUL, blank,
very long and repeated values for every parameter its filter understands, plus page/unit/sort/ordering.

Bad values never give a server error (SQLite overflows on integers of 2**63 and above, PostgreSQL raises
DataError); a list page still renders (200) and reports the bad value as "没有这个选项"-style form errors.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from iodp.core.filters import filterset_for
from tests.organizations.factories import approved_organization

HOSTILE_VALUES = [str(2**63), str(2**64), "-1", str(-2**63 - 1), "abc", "1\x00", "%00", "", " ", "x" * 10_000,
                  ["1", "2", "abc"]]
SHARED = ["page", "unit", "sort", "ordering"]
# What other pages read from the query string (typeahead, prefills, redirects).
OTHER_PARAMETERS = ["q", "status", "kind", "organization", "next", "plan", "limit", "name"]
SKIP_NAMESPACES = {"admin", "django-admin"}


def parameterless_url_names(resolver=None, namespace=""):
    """Every named URL of the project that takes no path argument (so a test can GET it as it stands)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIP_NAMESPACES or "i18n" in str(entry.pattern):
                continue
            yield from parameterless_url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            yield f"{namespace}{entry.name}"


def parameters_for(url_name):
    """What the page's filter understands (its registered FilterSet's filters) and the shared parameters."""
    filterset_class = filterset_for(url_name)
    if filterset_class is None:
        return SHARED + OTHER_PARAMETERS
    return SHARED + [name for name in filterset_class.base_filters if name not in SHARED]


def is_list(url_name):
    """A list page: one with a registered FilterSet, or named like a list."""
    return filterset_for(url_name) is not None or url_name.endswith("list")


URL_NAMES = sorted(set(parameterless_url_names()))


def test_the_enumeration_finds_the_lists():
    """Every list has a FilterSet registered under its URL name (so its filters are covered here)."""
    for name in ("organizations:list", "organizations:membership_list", "organizations:proposal_list",
                 "experts:list", "accounts:unit_list", "core:drafts", "core:review_queue", "institutions:home"):
        assert filterset_for(name) is not None, name
    for name in ("organizations:list", "organizations:membership_list", "organizations:proposal_list",
                 "organizations:conference_list", "experts:list", "accounts:unit_list", "core:drafts",
                 "core:review_queue", "organizations:search_json", "experts:pinyin", "organizations:plan_create"):
        assert name in URL_NAMES


# On a list, one parameter at a time (so a bad value elsewhere cannot hide it) with the values that break
# queries; on every page, every parameter at once with each hostile value.
ONE_AT_A_TIME = [str(2**63), str(-2**63 - 1), "1\x00", [str(2**64), "abc"]]


def _query_strings(url_name):
    names = parameters_for(url_name)
    if filterset_for(url_name) is not None:
        for name in names:
            for value in ONE_AT_A_TIME:
                yield {name: value}
    for value in HOSTILE_VALUES:
        yield {name: value for name in names}


@pytest.fixture
def some_rows(platform_admin, unit_user):
    approved_organization(unit_user, platform_admin)


def _check(client, url_name, user):
    from django.urls import reverse

    url = reverse(url_name)
    plain = client.get(url).status_code  # 404 or a redirect where the page is not this user's
    for params in _query_strings(url_name):
        response = client.get(url, params)
        assert response.status_code < 500, (url_name, params)
        if is_list(url_name) and plain == 200:
            assert response.status_code == 200, (url_name, user, params, response.status_code)


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_platform_admin_pages_survive_hostile_query_strings(url_name, admin_client_, some_rows):
    _check(admin_client_, url_name, "platform admin")


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_unit_admin_pages_survive_hostile_query_strings(url_name, unit_client, some_rows):
    _check(unit_client, url_name, "unit admin")
