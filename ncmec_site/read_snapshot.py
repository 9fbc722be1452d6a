"""Each public page reads the database in one consistent snapshot.

A fact sheet reads its years, then its figures, in several queries. Under PostgreSQL's
default READ COMMITTED each query sees what was committed when it began, so a year
unpublished between the two showed in the year list with no figures under it (1 read in
683 under load; 129 in 364 with a year toggled every 50 ms). Here a public GET or HEAD
runs in one ``REPEATABLE READ READ ONLY`` transaction: every query of the page sees the
database as the first one did, and a page that tried to write would fail loudly.

The version the page's caches key on is pinned for the request (``Publication.pinned``):
on PostgreSQL, the snapshot's own, read with the page's first query (one primary-key
read), so that what the page builds once per version (``programs.reader.versioned``) is
keyed on the version of the data it was built from. A version read before the snapshot
(this process's, up to PUBLICATION_VERSION_SECONDS old) would mix parts: a fact sheet's
years kept under that version, and its body built from newer data under the same key,
listed a year with no figures (12 of 1,865 reads, benchmarks/load.py, 2026-12-03). The
page cache keys a page on the version it read before the snapshot: the page may be newer
than its key, never mixed.

A streamed download reads its rows after the view returns, outside the snapshot (each
of its queries is consistent on its own). The admin, the preview and /health/
(``PAGE_CACHE_EXCLUDED_PATHS``) are left as they are. On SQLite, which the project uses
for development and tests, no transaction is opened: its ``BEGIN IMMEDIATE`` would take
the write lock for every read; there only the version is pinned.
"""

from django.conf import settings
from django.db import connection, transaction

from programs.models import Publication

SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"


def reads_in_snapshot(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(
        tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)
    )


class SnapshotFirst:
    """Sends SNAPSHOT before the transaction's first query, once."""

    def __init__(self):
        self.sent = False

    def __call__(self, execute, sql, params, many, context):
        if not self.sent:
            self.sent = True
            context["cursor"].cursor.execute(SNAPSHOT)
        return execute(sql, params, many, context)


class ReadSnapshotMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not reads_in_snapshot(request):
            return self.get_response(request)
        if connection.vendor != "postgresql":
            with Publication.pinned(self.publication(request)):
                return self.get_response(request)
        if connection.in_atomic_block:
            # Inside a transaction already (a test's): it is the snapshot, and the version
            # read before it is its own; the pinned query counts stay what the page itself
            # runs, on every database.
            with Publication.pinned(self.publication(request)):
                return self.get_response(request)
        # The snapshot is set as its first query goes out: the version's read.
        snapshot = transaction.atomic(savepoint=False)
        with snapshot, connection.execute_wrapper(SnapshotFirst()), Publication.pinned():
            return self.get_response(request)

    def publication(self, request):
        return getattr(request, "publication", None) or Publication.known_recent()
