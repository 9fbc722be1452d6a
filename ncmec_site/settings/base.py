"""Settings shared by every environment.

Every value that differs between machines is read from the environment here, in
one place, with a ``DJANGO_`` prefix (``DATABASE_URL`` keeps its usual name).
``dev``, ``test`` and ``prod`` only choose defaults and switch features.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "import_export",
    "simple_history",
    "csp",
    "states",
    "programs",
    # Throttles admin sign-in (see "Sign-in" below).
    "axes",
]

MIDDLEWARE = [
    # The request's id, in every log line and the answer's X-Request-ID; logs each 5xx.
    "ncmec_site.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so that a cached page or a 304 carries them too
    # (ncmec_site/security.py): the Content-Security-Policy, X-Frame-Options,
    # Permissions-Policy, Cross-Origin-Resource-Policy, and a 405 for the methods public
    # pages do not take.
    "ncmec_site.security.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ncmec_site.security.SecurityHeadersMiddleware",
    "ncmec_site.control_characters.ControlCharacterMiddleware",  # a 400 before any view
    # Serves /static/ from the app server itself, with far-future caching in prod.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the page cache answers plain and does not store (the admin, a
    # preview, a 404, a large download).
    "django.middleware.gzip.GZipMiddleware",
    # Every public page from one cache keyed on the publication version, built on a miss
    # in one transaction that sees that version (programs/page_cache.py).
    "programs.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history of figures and programs.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Staff previews of draft editions: marks the request, never cached.
    "ncmec_site.preview.PreviewMiddleware",
    # Answers a locked-out sign-in with its page (ncmec_site/sign_in.py); last, as axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ncmec_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "ncmec_site.wsgi.application"

# PostgreSQL (through psycopg 3) when DATABASE_URL is set, the embedded SQLite otherwise.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # A kept connection is checked before a request reuses it, so that the first request
    # after PostgreSQL comes back is not answered on a connection that died meanwhile;
    # a connection that cannot be made gives up after DJANGO_DB_CONNECT_TIMEOUT seconds.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
    )
    # psycopg's connection pool, one per process, instead of a connection kept per thread
    # (docs/production.md, "PostgreSQL"); Django requires CONN_MAX_AGE 0 with it.
    if env_bool("DJANGO_DB_POOL", False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Two staff saving at once wait for each other instead of one getting a 500
            # ("database is locked"): a transaction takes the write lock when it begins.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

# A shared cache when DJANGO_REDIS_URL is set (needed with more than one app process: it
# holds the pages and the publication version); local memory otherwise. Each call to
# Redis gives up after DJANGO_REDIS_TIMEOUT_MS (connecting, and waiting for an answer),
# and a page is then built from the database (ncmec_site/cache.py).
REDIS_URL = env_str("DJANGO_REDIS_URL")
REDIS_TIMEOUT_SECONDS = env_int("DJANGO_REDIS_TIMEOUT_MS", 100) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ncmec_site.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (programs/page_cache.py): how long a page stays in the cache (a new
# publication version is seen at once: pages of the old one are not served again), what
# browsers and a CDN in front may keep it and serve while revalidating, the largest page
# or download it stores, and the addresses it never answers.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 60 * 60 * 24)
PAGE_CACHE_MAX_AGE = env_int("DJANGO_PAGE_CACHE_MAX_AGE", 300)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env_int(
    "DJANGO_PAGE_CACHE_STALE_WHILE_REVALIDATE", 60 * 60 * 24
)
PAGE_CACHE_MAX_BYTES = env_int("DJANGO_PAGE_CACHE_MAX_BYTES", 5_000_000)
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/preview/", "/health/"]
# Set to the release (a git commit, a version) on each deploy: pages stored by the one
# before, with its templates and data, are then never served again.
PAGE_CACHE_RELEASE = env_str("DJANGO_RELEASE", "")

# Content-Security-Policy (django-csp; the admin's one relaxation is in
# ncmec_site/security.py). No inline script or style anywhere, no nonce (a nonce would
# make every cached page unshareable), nothing from another origin; no page may frame
# the site, post a form elsewhere, change its base address or embed a plugin.
# DJANGO_CSP_REPORT_ONLY=true sends the same policy as Content-Security-Policy-Report-Only
# instead (violations are reported, nothing is blocked: to try a change on a live site);
# DJANGO_CSP_REPORT_URI is where browsers post violation reports, under either header.
_csp_directives = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if env_str("DJANGO_CSP_REPORT_URI"):
    _csp_directives["report-uri"] = [env_str("DJANGO_CSP_REPORT_URI")]
if env_bool("DJANGO_CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# Production trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), and sign-in's throttle
# the address in X-Forwarded-For, only when this says a proxy is in front that sets them;
# without one, any client could claim HTTPS or another address.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A program's admin page carries its metrics inline, about a dozen fields each: the
# default of 1,000 fields refused the save of a program with 90 metrics.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Sign-in: after DJANGO_SIGNIN_FAILURE_LIMIT wrong passwords for one account from one
# address, that account is refused from that address (before any password is hashed) for
# DJANGO_SIGNIN_COOLOFF_MINUTES after the last attempt, or until a Publisher unlocks it
# in the admin's "Access attempts"; after DJANGO_SIGNIN_ADDRESS_FAILURE_LIMIT wrong
# passwords from one address across every account in that time, the address is refused
# for every account. A wrong old password on the password change form counts too
# (ncmec_site/sign_in.py). Behind a reverse proxy (DJANGO_BEHIND_PROXY), the address is
# the one the proxy sets last in X-Forwarded-For.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ncmec_site.sign_in.client_ip"
AXES_LOCKOUT_CALLABLE = "ncmec_site.sign_in.locked_out"
AXES_HANDLER = "ncmec_site.sign_in.SignInHandler"
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_SIGNIN_ADDRESS_FAILURE_LIMIT", 20)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))

SITE_NAME = "NCMEC Data"
# The site's public address: every absolute address the site writes is built on it
# (ncmec_site.site_address), never on a request's Host, and the fact sheet PDFs that
# write_fact_sheet_pdfs writes name it in their links and their printed line.
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000/")


# One line per event (ncmec_site/logs.py), each with the id of its request:
# DJANGO_LOG_FORMAT "text" to read (the default here), or "json" (production's default).
# Below DJANGO_LOG_LEVEL, the site's own events (a publish, a correction, an import, a
# sign-in lockout: INFO) are still written.
def log_format(default):
    value = env_str("DJANGO_LOG_FORMAT", "") or default
    if value not in ("text", "json"):
        raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be text or json, not {value!r}.")
    return value


LOG_FORMAT = log_format("text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ncmec_site.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"()": "ncmec_site.logs.TextFormatter"},
        "json": {"()": "ncmec_site.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "programs": {"level": "INFO"},
        "ncmec_site": {"level": "INFO"},
        # WeasyPrint warns of every CSS rule it does not use (screen-only media queries)
        # on every PDF; its errors (a refused or missing file) still show.
        "weasyprint": {"level": "ERROR"},
    },
}

# Errors sent to Sentry (docs/production.md, "Errors to an error tracker"): only when
# DJANGO_SENTRY_DSN is set and the optional sentry-sdk is installed (`.[sentry]`).
SENTRY_DSN = env_str("DJANGO_SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env_str("DJANGO_SENTRY_ENVIRONMENT", "production")
if SENTRY_DSN:
    from ncmec_site.error_tracker import start_error_tracker

    start_error_tracker(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=PAGE_CACHE_RELEASE)

# The checks that flag a figure that looks wrong before it is published
# (programs/figure_checks.py): a figure more than FIGURE_CHECK_JUMP times, or less than
# 1/FIGURE_CHECK_JUMP of, the year before's; a state's rate per 100,000 more than
# FIGURE_CHECK_RATE_MEDIAN times the median of the states that year.
FIGURE_CHECK_JUMP = env_int("DJANGO_FIGURE_CHECK_JUMP", 3)
FIGURE_CHECK_RATE_MEDIAN = env_int("DJANGO_FIGURE_CHECK_RATE_MEDIAN", 3)

# Importing and exporting figures (programs/importing.py, docs/importing.md).
FIGURE_IMPORT_MAX_BYTES = env_int("DJANGO_FIGURE_IMPORT_MAX_BYTES", 10_000_000)
# Checked while a file is read, so that a small file that unpacks or parses into a huge
# table is refused in seconds (a 50,000-row import is an ordinary one).
FIGURE_IMPORT_MAX_ROWS = env_int("DJANGO_FIGURE_IMPORT_MAX_ROWS", 200_000)
FIGURE_IMPORT_MAX_COLUMNS = env_int("DJANGO_FIGURE_IMPORT_MAX_COLUMNS", 50)
FIGURE_IMPORT_MAX_CELL_CHARS = env_int("DJANGO_FIGURE_IMPORT_MAX_CELL_CHARS", 2_000)
# An upload over FIGURE_IMPORT_MAX_BYTES is refused from its declared size, unread; one
# the temporary directory cannot take (a full disk) is refused, its partial file removed.
FILE_UPLOAD_HANDLERS = [
    "programs.uploads.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "programs.uploads.StoredUpload",
]
# How long an upload is held in the database between its preview and its confirmation.
FIGURE_IMPORT_HOLD_SECONDS = env_int("DJANGO_FIGURE_IMPORT_HOLD_SECONDS", 6 * 60 * 60)
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# One LogEntry per imported row is slow; the import reports its own summary.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Held in the database, which every app process reads (programs/uploads.py).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "programs.uploads.DatabaseStorage"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False  # ncmec_site.spreadsheets guards every export

# History of figures, programs and editions (django-simple-history): reasons can be long.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
