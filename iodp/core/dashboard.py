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
