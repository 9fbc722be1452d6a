"""What pages read once per publication version.

Built on a version's first read, then kept in the shared cache and in this process's
memory under a key that names the version (``Publication.token``): never stale, never
cleared by hand, and what a version nobody reads any more left behind goes on its own.
A page the page cache does not answer (a staff member out of preview) then costs its
frame, not its figures. Never for a preview: a draft is never stored.
"""

import pickle

from django.conf import settings
from django.core.cache import cache

from ncmec_site.cache import LocalMemory

from ..models import Publication

SECONDS = 24 * 60 * 60
# What is kept holds pickled models and rendered templates: a release may change either,
# so the key names the release (DJANGO_RELEASE, as the page cache's does) and this
# format, raised when the shape of what is kept changes.
FORMAT = 2
ENTRY_OVERHEAD = 1024  # beyond the pickled value and its key


def _cost(key, value):
    return len(key) + len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) + ENTRY_OVERHEAD


local = LocalMemory(_cost, "FRAGMENT_CACHE_LOCAL_BYTES")


def once_per_version(name, build):
    """``build()``'s value for the current publication version, built at most once per
    version (per process when the shared cache is away)."""
    key = _key(name)
    found = local.get(key)
    if found is None:
        found = cache.get(key)  # Redis away is a miss (ncmec_site/cache.py)
        if found is None:
            found = build()
            # Kept under the version it was built from: the snapshot its first query
            # began may be newer than the version the page began on (the page is then
            # made again, ncmec_site/read_snapshot.py).
            key = _key(name)
            cache.set(key, found, SECONDS)
        local.put(key, found)
    return found


def published_once(preview, name, read):
    """``read(preview)``: in a staff preview read afresh each time (a draft is never
    stored), out of it once per version under ``name``."""
    if preview:
        return read(True)
    return once_per_version(name, lambda: read(False))


def _key(name):
    return f"v:{FORMAT}.{settings.PAGE_CACHE_RELEASE}.{Publication.recent().token}:{name}"
