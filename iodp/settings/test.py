"""Test profile: fast password hashing, plain static storage (no collectstatic needed)."""

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LANGUAGE_CODE = "zh-hans"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Jobs run when they are enqueued (tests that exercise the worker switch to the database backend).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress", "TIMEOUT": 24 * 3600},
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
}
# Export jobs' files: a folder of the tests' own (tests that look at the files point it at a temporary folder).
IODP_EXPORT_DIR = VAR_DIR / "test-exports"  # noqa: F405
