"""The `make run` profile: production code paths (gunicorn, DEBUG off) on a laptop over plain http."""

from .base import *  # noqa: F401,F403
