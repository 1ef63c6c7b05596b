"""Fixtures of the experts tests and of the reading tests, shared with the import/export tests."""

from ..experts.conftest import organization  # noqa: F401
from .test_background_jobs import database_backend  # noqa: F401
from .test_reading import convert, soffice_profile  # noqa: F401
