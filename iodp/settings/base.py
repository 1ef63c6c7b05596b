"""Settings shared by every profile. Everything that differs between machines comes from the environment."""

import hashlib
import importlib.util
import os
import secrets
from datetime import timedelta
from pathlib import Path

import bootstrap
import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
VAR_DIR = Path(os.environ.get("IODP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A per-installation key kept in var/, so a laptop install needs no configuration."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("IODP_DEBUG")
SECRET_KEY = os.environ.get("IODP_SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("IODP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("IODP_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "iodp.core",
    "iodp.reference",
    "iodp.accounts",
    "iodp.institutions",
    "iodp.organizations",
    "iodp.experts",
    "iodp.exchange",
    "iodp.insights",
    "iodp.notices",
    "iodp.datagen",
    "iodp.manual",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iodp.core.middleware.PlatformLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "iodp.accounts.middleware.AccountStatusMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iodp.urls"
WSGI_APPLICATION = "iodp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "iodp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iodp.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'iodp.sqlite3'}",
        conn_max_age=int(os.environ.get("IODP_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share one file: wait for the write lock instead of failing at once (timeout, in
    # seconds, is SQLite's busy timeout), take it when the transaction starts (IMMEDIATE: no deadlock when a read
    # turns into a write), and let readers go on while one worker writes (WAL; NORMAL sync is safe with WAL).
    # A bigger page cache and in-memory temporary b-trees keep sorted lists of 100,000 rows off the disk; the
    # connection (with its page cache) is kept between requests like PostgreSQL's (IODP_DB_CONN_MAX_AGE): a new
    # one per request read every index page again from the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                         "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY"),
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # a website typed without a scheme becomes https://

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id at OWASP's parameters (iodp/accounts/hashers.py); the others verify older hashes, which are
# re-hashed with Argon2id at the next login.
PASSWORD_HASHERS = [
    "iodp.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling (django-axes): 5 failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("IODP_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("IODP_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address a lockout is keyed on. Behind a reverse proxy REMOTE_ADDR is the proxy for every user, so
# IODP_TRUSTED_PROXY_COUNT names how many proxies append to IODP_CLIENT_IP_HEADER (README, Deployment).
# 0 (no proxy) reads REMOTE_ADDR only, so a client cannot choose its own address with X-Forwarded-For.
IODP_TRUSTED_PROXY_COUNT = int(os.environ.get("IODP_TRUSTED_PROXY_COUNT", "0"))
IODP_CLIENT_IP_HEADER = os.environ.get("IODP_CLIENT_IP_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "iodp.accounts.client_ip.client_ip_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "iodp" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("IODP_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [
    BASE_DIR / "iodp" / "static",
    ("vendor/bootstrap", Path(bootstrap.__path__[0])),
    # Tom Select (the searchable multi-select), as built and shipped in the django-tomselect wheel: only its
    # static files are used (window.TomSelect), so the package is not an installed app.
    ("vendor/tomselect", Path(importlib.util.find_spec("django_tomselect").submodule_search_locations[0])
     / "static" / "django_tomselect"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Request bodies: forms larger than this are refused; uploaded files above it go to disk, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CSRF_FAILURE_VIEW = "iodp.core.views.csrf_failure"  # an expired form keeps what was typed
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
FORM_RENDERER = "iodp.core.form_renderer.Renderer"  # Django's, with <select> options written in Python
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline code, so
# an injected <script>, on* handler or style attribute does nothing. Page behaviour lives in static/iodp/js/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for Bootstrap's inline SVG icons (select arrows, close buttons)
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("IODP_LOG_LEVEL", "WARNING")},
}

IODP_SITE_NAME = _("国际组织数据平台")

# Published criteria for reserve experts (flags with reasons, not hard blocks) and the "term ending" window.
IODP_RESERVE_MAX_AGE = int(os.environ.get("IODP_RESERVE_MAX_AGE", "50"))
IODP_RESERVE_MIN_FOREIGN_YEARS = float(os.environ.get("IODP_RESERVE_MIN_FOREIGN_YEARS", "2"))
IODP_TERM_ENDING_MONTHS = int(os.environ.get("IODP_TERM_ENDING_MONTHS", "6"))

# Checks whether another unit has recorded an expert (same ID number, or same name and birth date): each user may
# check this many different people per window from the pages (experts.services.expert_duplicate_check). The
# counter lives in the `shared` cache (CACHES below), one count for every web process of the host.
IODP_ID_CHECK_LIMIT = int(os.environ.get("IODP_ID_CHECK_LIMIT", "30"))
IODP_ID_CHECK_WINDOW_MINUTES = int(os.environ.get("IODP_ID_CHECK_WINDOW_MINUTES", "60"))

# Uploaded spreadsheets (exchange.reading): files larger than this many bytes, or sheets with more rows, are refused
# before they are parsed.
IODP_IMPORT_MAX_BYTES = int(os.environ.get("IODP_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
IODP_IMPORT_MAX_ROWS = int(os.environ.get("IODP_IMPORT_MAX_ROWS", "200000"))
# An import of more than one chunk of experts (200) parses its cells in a second process, one chunk ahead of the
# one that checks and writes them (iodp.core.parallel): on a 2-core machine, a workbook of 10,000 experts
# previewed about a fifth faster and committed about a tenth faster.
# 0 parses everything in the importing process.
IODP_IMPORT_PARSE_AHEAD = os.environ.get("IODP_IMPORT_PARSE_AHEAD", "1") not in ("0", "", "false", "False")

# 通知公告: each attachment of a notice at most this many bytes, and at most this many attachments per notice.
IODP_NOTICE_ATTACHMENT_MAX_BYTES = int(os.environ.get("IODP_NOTICE_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
IODP_NOTICE_ATTACHMENTS_MAX = int(os.environ.get("IODP_NOTICE_ATTACHMENTS_MAX", "10"))

# 导出: a list export of at most IODP_EXPORT_INLINE_ROWS rows downloads at once; a larger one runs as a background
# job whose file is kept under IODP_EXPORT_DIR (never served as media: the download checks who asks) for
# IODP_EXPORT_KEEP_DAYS days, then removed (`manage.py cleanup_exports`, and whenever a new job is queued).
IODP_EXPORT_INLINE_ROWS = int(os.environ.get("IODP_EXPORT_INLINE_ROWS", "2000"))
IODP_EXPORT_KEEP_DAYS = int(os.environ.get("IODP_EXPORT_KEEP_DAYS", "7"))
# A running import or export job that has reported no progress for this many minutes was stopped without recording
# it (the worker killed by the system, the machine restarted): its page marks it interrupted and offers the retry.
IODP_JOB_SILENCE_MINUTES = int(os.environ.get("IODP_JOB_SILENCE_MINUTES", "10"))
IODP_EXPORT_DIR = Path(os.environ.get("IODP_EXPORT_DIR", VAR_DIR / "exports"))

# Background jobs (imports and large exports) are stored in the database and run by `manage.py db_worker`, which
# `make run` starts beside the web server (production: a process of its own, see the README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A job's progress is read by the web workers while the job's own transaction is still open: it lives in a cache
# every process on the host shares (files under var/progress; a multi-host deployment points it at Redis).
# `shared` (iodp.core.caching): figures computed once for every web process (statistics, progress rows, home
# counts) and the cross-unit ID-check limit, files under var/cache (several hosts: Redis or the database cache).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": str(VAR_DIR / "progress"), "TIMEOUT": 24 * 3600},
    "shared": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
               "LOCATION": str(VAR_DIR / "cache"), "TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 5000},
               # keys of one database's figures never meet another's (a bench database beside the platform's)
               "KEY_PREFIX": hashlib.sha256(str(DATABASES["default"].get("NAME")).encode()).hexdigest()[:12]},
}

# With IODP_DEBUG=1, static files are served straight from the source folders (no collectstatic needed).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
