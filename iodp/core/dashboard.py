"""Counts on the home page. Each module registers a function giving its figures for a user."""

from collections.abc import Callable

from django.utils.translation import get_language

from .caching import reused

_providers: list[Callable] = []


def register_home_counts(provider: Callable) -> Callable:
    """Register `provider(user) -> list[dict(label, value, url)]`; used as a decorator in each app."""
    _providers.append(provider)
    return provider


#: how long the home page's figures are reused at most. A change written through the services (every one logs a
#: ChangeLog entry) shows at once, since the cache key holds the newest entry; this bounds how long a change made
#: without one (a bulk load) or a transaction committed out of id order stays unseen.
HOME_COUNTS_TTL_SECONDS = 30


def latest_change_id(*, ignoring: tuple = ()) -> int:
    """The newest change-log entry's id (0 when there is none): one index lookup; with `ignoring`, the newest
    entry of another action (the index read backwards past the newest entries of those actions)."""
    from .models import ChangeLog

    entries = ChangeLog.objects.exclude(action__in=ignoring) if ignoring else ChangeLog.objects.all()
    return entries.order_by("-pk").values_list("pk", flat=True).first() or 0


def home_counts(user) -> list[dict]:
    """Every module's figures for `user`: counted once, then reused until a change is logged (or
    HOME_COUNTS_TTL_SECONDS pass), so the platform admin's national counts do not scan every expert and
    organization on every visit to the home page."""
    viewer = "platform_admin" if user.is_platform_admin else f"user:{user.pk}:unit:{user.unit_id}"
    key = f"home_counts:{get_language()}:{viewer}:{latest_change_id()}"
    return reused(key, lambda: [figure for provider in _providers for figure in provider(user)],
                  HOME_COUNTS_TTL_SECONDS)


_unit_figure_providers: list[Callable] = []


def register_unit_figures(provider: Callable) -> Callable:
    """Register `provider(unit) -> list[dict(label, value)]`: what a unit has recorded in a module."""
    _unit_figure_providers.append(provider)
    return provider


def unit_figures(unit) -> list[dict]:
    figures = []
    for provider in _unit_figure_providers:
        figures.extend(provider(unit))
    return figures


_home_panel_providers: list[Callable] = []


def register_home_panel(provider: Callable) -> Callable:
    """Register `provider(request) -> str | None`: a block of HTML shown at the top of the home page (a reporting
    deadline, unread notices), or None when it has nothing to say to this user. Panels are not cached: each
    provider keeps its own queries to a few index lookups."""
    _home_panel_providers.append(provider)
    return provider


def home_panels(request) -> list[str]:
    """The rendered panels for this request, in registration order, skipping the empty ones."""
    return [html for provider in _home_panel_providers if (html := provider(request))]
