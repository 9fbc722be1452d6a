"""Deployment checks (``manage.py check --deploy``) for what the settings alone cannot say."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs=None, **kwargs):
    """The page cache and the publication version must be shared by every app process and
    the cron job."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The cache is each process's own memory: with more than one app process each "
            "keeps its own copy of every page.",
            hint="Set DJANGO_REDIS_URL (redis://host:6379/0) to share one Redis.",
            id="programs.W001",
        )
    ]


PER_PROCESS_UPLOAD_STORAGES = ("import_export.tmp_storages.TempFolderStorage",)


@register(deploy=True)
def held_upload_check(app_configs=None, **kwargs):
    """An import's upload, held between its preview and its confirmation, must be where
    the process that answers the confirmation can read it."""
    storage = settings.IMPORT_EXPORT_TMP_STORAGE_CLASS
    if not isinstance(storage, str):
        storage = f"{storage.__module__}.{storage.__qualname__}"
    cache_backend = settings.CACHES["default"]["BACKEND"]
    per_process = storage in PER_PROCESS_UPLOAD_STORAGES or (
        storage == "import_export.tmp_storages.CacheStorage"
        and cache_backend in PER_PROCESS_CACHES
    )
    if not per_process:
        return []
    return [
        Warning(
            f"IMPORT_EXPORT_TMP_STORAGE_CLASS is {storage}, which holds an import's upload "
            "in one process's memory or one machine's disk: with more than one app "
            "process, a confirmation can miss the upload it confirms.",
            hint="Use programs.uploads.DatabaseStorage (the default), which holds it in "
            "the database.",
            id="programs.W002",
        )
    ]
