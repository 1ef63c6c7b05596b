"""Counts on the home page. Each module registers a function giving its figures for a user."""

from collections.abc import Callable

_providers: list[Callable] = []


def register_home_counts(provider: Callable) -> Callable:
    """Register `provider(user) -> list[dict(label, value, url)]`; used as a decorator in each app."""
    _providers.append(provider)
    return provider


def home_counts(user) -> list[dict]:
    figures = []
    for provider in _providers:
        figures.extend(provider(user))
    return figures
