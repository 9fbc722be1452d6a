"""Each public page reads the database in one consistent snapshot.

A fact sheet reads its years, then its figures, in several queries. Under PostgreSQL's
default READ COMMITTED each query sees what was committed when it began, so a year
unpublished between the two showed in the year list with no figures under it (1 read in
683 under load; 129 in 364 with a year toggled every 50 ms). Here a public GET or HEAD
runs its queries in one ``REPEATABLE READ READ ONLY`` transaction: every query of the
page sees the database as the first one did, and a page that tried to write would fail.

The version the page's caches key on is pinned for the request (``Publication.pinned``),
and what the page builds once per version (``programs.reader.versioned``) is built from
a snapshot of that very version. A version older than the data it keys would mix parts:
a fact sheet's years kept under it, and its body built from newer data under the same
key, listed a year with no figures (12 of 1,865 reads, benchmarks/load.py, 2026-12-03).

The transaction is opened as the page begins, but psycopg sends its BEGIN (which says
the isolation level itself) with the first query: a page whose parts are all built for
the version already (a staff member reading a fact sheet out of preview) makes no query
and costs no round trip. The transaction's first statement reads the version
(``Snapshot``): when it is not the one the page was pinned to (this process's, read at
most PUBLICATION_VERSION_SECONDS ago), a publish came in between. The page is then
pinned to the snapshot's version from that query on, so what it builds next is kept
under the version it was built from (``once_per_version`` names its key again after
building), and it is made again, in the same snapshot: it is never sent mixed. A page
with no query is made only of parts kept under one version, each built from a snapshot
of it: it is as consistent, and no older than the page cache's. A view's own
``atomic()`` is a savepoint inside the snapshot.

A streamed download reads its rows after the view returns, outside the snapshot (each
of its queries is consistent on its own). The admin, the preview and /health/
(``PAGE_CACHE_EXCLUDED_PATHS``) are left as they are. On SQLite, which the project uses
for development and tests, no transaction is opened: its ``BEGIN IMMEDIATE`` would take
the write lock for every read; there only the version is pinned.
"""

from django.conf import settings
from django.db import connection, transaction
from psycopg import IsolationLevel

from programs.models import Publication


def reads_in_snapshot(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(
        tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)
    )


class Snapshot:
    """An execute wrapper: the snapshot's version, read as its first statement (psycopg
    sends the BEGIN before it). When it is not the version the page was pinned to, the
    page is pinned to it from then on (``moved``): what the page builds next is kept
    under the version it was built from, and the page is made again."""

    def __init__(self, pinned: Publication | None):
        self.pinned = pinned
        self.version: Publication | None = None

    @property
    def moved(self) -> bool:
        if self.version is None or self.pinned is None:
            return False  # no query, or pinned to the snapshot's own version
        return self.version.token != self.pinned.token

    def __call__(self, execute, sql, params, many, context):
        if self.version is None:
            self.read(context["cursor"].cursor)
        return execute(sql, params, many, context)

    def read(self, cursor):
        self.version = Publication.read(cursor)
        if self.moved:
            Publication.repin(self.version)


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
        seen = Publication.seen()
        snapshot = Snapshot(self.publication(request))
        connection.ensure_connection()
        driver = connection.connection
        restore = (driver.isolation_level, driver.read_only)
        # psycopg's BEGIN says it, with the first query: no round trip of its own, and
        # none at all (nor a COMMIT) for a page that makes no query. A view's own
        # atomic() is a savepoint inside it.
        driver.isolation_level, driver.read_only = IsolationLevel.REPEATABLE_READ, True
        try:
            with transaction.atomic(savepoint=False):
                if snapshot.pinned is None:
                    snapshot.read(driver.cursor())  # the version is read first
                    Publication.remember(snapshot.version, seen=seen)
                with connection.execute_wrapper(snapshot):
                    with Publication.pinned(snapshot.pinned or snapshot.version):
                        response = self.get_response(request)
                    if snapshot.moved and response.status_code < 500:
                        # Made of two versions' parts: made again. (Not close()d: that
                        # tells Django the request is over, and it closes the connection.
                        # A page that failed is not made again: its transaction failed
                        # with it, and its error is logged once.)
                        Publication.remember(snapshot.version, seen=seen)
                        with Publication.pinned(snapshot.version):
                            response = self.get_response(request)
        finally:
            if not driver.closed:
                driver.isolation_level, driver.read_only = restore
        return response

    def publication(self, request):
        return getattr(request, "publication", None) or Publication.known_recent()
