"""Production: refuses to start without a secret key; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BEHIND_PROXY, LOGGING, SECRET_KEY, env_bool, env_list, env_str, log_format

if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production will not start without it.")

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
# The site's address, which every absolute address it writes is built on (canonical
# links, citations, the API, the sitemap) and PDFs fetch their styles from:
# DJANGO_SITE_URL, or the first allowed host when it names one host (not ".example.org"
# or "*").
_host = ALLOWED_HOSTS[0] if ALLOWED_HOSTS else ""
SITE_URL = env_str("DJANGO_SITE_URL", f"https://{_host}/" if _host.strip(".*") == _host else "")
if not SITE_URL.startswith(("https://", "http://")) or not SITE_URL.endswith("/"):
    raise ImproperlyConfigured(
        "Set DJANGO_SITE_URL to the site's address, like https://data.example.org/ "
        "(the fact sheet PDFs name it and load their styles from it)."
    )

# A JSON object per log line, for a log collector (DJANGO_LOG_FORMAT=text to read them).
LOG_FORMAT = log_format("json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# A load balancer's health probe asks over plain HTTP, inside the network: answer it.
SECURE_REDIRECT_EXEMPT = [r"^health/(ready/)?$"]
# Only a proxy in front (DJANGO_BEHIND_PROXY) makes X-Forwarded-Proto worth believing.
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
