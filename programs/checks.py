"""Deployment checks (``manage.py check --deploy``) for what the settings alone cannot say."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs=None, **kwargs):
    """The page cache, the publication version and an import's upload between its preview
    and its confirmation must be shared by every app process and the cron job."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The cache is each process's own memory: with more than one app process an "
            "import's confirmation can miss its upload, and each process keeps its own "
            "copy of every page.",
            hint="Set DJANGO_REDIS_URL (redis://host:6379/0) to share one Redis.",
            id="programs.W001",
        )
    ]
