"""Fixtures of the experts tests, shared with the import/export tests."""

from ..experts.conftest import organization  # noqa: F401
