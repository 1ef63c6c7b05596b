"""Production: PostgreSQL from DATABASE_URL, HTTPS behind a reverse proxy, every secret from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = False
if not os.environ.get("IODP_SECRET_KEY"):
    raise ImproperlyConfigured("IODP_SECRET_KEY must be set in production.")
SECRET_KEY = os.environ["IODP_SECRET_KEY"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("IODP_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("IODP_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("IODP_HSTS_PRELOAD", True)
