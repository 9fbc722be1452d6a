"""The one page cache of the public site, and the one transaction a page is built in.

Every public GET or HEAD (all but ``PAGE_CACHE_EXCLUDED_PATHS``: the admin, the preview
switch, /health/) is answered from Django's cache (Redis in production) when it holds
the page for the current publication version: whoever asks, whatever cookies they send.
Only a staff member in preview (a marker cookie the site signed: ncmec_site/preview.py)
passes it by; public pages carry nothing personal.

A page is stored once per address (path and query string: every absolute address a page
writes is the site's own, ncmec_site/site_address.py, whatever Host the request named),
day (pages cite the day they were retrieved), release (``DJANGO_RELEASE``: a deploy's
templates and data migrations) and encoding (plain, gzip, Brotli), stamped with the
publication version it was built from (``Publication.token``). The current version is
stored beside the pages (``VERSION_KEY``): every publish sets it as it commits, so every
process answers from the new version at once. A hit is one round trip to Redis, for the
version and the page together, and no query.

A miss is built in :func:`snapshot`: one REPEATABLE READ READ ONLY transaction on
PostgreSQL whose first statement reads the version, so that every query of the page sees
that version and nothing else, and the page is stored under it. Its ETag and
Last-Modified come from its address and that version (downloads and the API alike); a
conditional GET gets a 304. A download larger than ``PAGE_CACHE_MAX_BYTES`` streams
without being stored.

When a part fails:
- Redis hung or gone: each call gives up within 100 ms, then Redis is left alone for a
  moment (ncmec_site/cache.py): pages are built from the database, and caching resumes
  by itself.
- PostgreSQL gone: a page the cache holds is served as it was stored, whatever version
  it has; one it does not hold is a 503 with Retry-After (ncmec_site/views.py).
"""

import hashlib
import itertools
from contextlib import contextmanager
from dataclasses import dataclass

import brotli
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string
from psycopg import IsolationLevel

from ncmec_site.preview import has_preview_marker

from .models import Publication
from .models.publication import KNOWN_VERSION_KEY, VERSION_KEY, VERSION_SECONDS

# The layout of a stored page: raised when StoredPage or the keys change.
FORMAT = 3
# Headers of the view's response a stored page keeps (the middleware above it set the
# security headers on every answer, stored or not: ncmec_site/security.py).
KEPT_HEADERS = {
    "content-type",
    "content-disposition",
    "content-language",
    "link",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "x-robots-tag",
}
# Headers a 304 repeats (RFC 9110 15.4.5, and what a cross-origin script may read).
NOT_MODIFIED_HEADERS = {
    "etag",
    "last-modified",
    "cache-control",
    "vary",
    "access-control-allow-origin",
    "access-control-expose-headers",
}
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# An encoding among those a client accepts, unless refused with q=0.
ACCEPTS = {
    name: _lazy_re_compile(rf"\b{name}\b(?!\s*;\s*q\s*=\s*0(?:\.0*)?(?:[,\s]|$))")
    for name in ("br", "gzip")
}
# Brotli once per page and version: a 190 KB fact sheet in about 3 ms, a sixth smaller
# than gzip; quality 10 saves 2 KB more for 250 ms.
BROTLI_QUALITY = 5


@dataclass(frozen=True)
class StoredPage:
    token: str  # the publication version it was built from
    headers: tuple  # (name, value): the kept headers, the validators and caching
    body: bytes
    etag: str
    modified: int  # Last-Modified, a timestamp


@dataclass(frozen=True)
class Address:
    """A request's page, whatever its version."""

    digest: str

    @classmethod
    def of(cls, request) -> "Address":
        parts = [
            str(FORMAT),
            settings.PAGE_CACHE_RELEASE,
            request.path,
            request.META.get("QUERY_STRING", ""),
            timezone.localdate().isoformat(),
        ]
        return cls(hashlib.sha256("\0".join(parts).encode()).hexdigest())

    def key(self, encoding: str) -> str:
        """``encoding``: "identity", "gzip" or "br"."""
        return f"page:{self.digest}:{encoding}"

    def etag(self, publication: Publication) -> str:
        """One builder for every validator: the address and the version."""
        digest = hashlib.sha256(f"{self.digest}:{publication.token}".encode()).hexdigest()
        return f'W/"{digest[:32]}"'


def preferred_encoding(request) -> str:
    """Brotli when the client accepts it (every current browser does, over HTTPS), else
    gzip, else none."""
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    for encoding, accepts in ACCEPTS.items():
        if accepts.search(accepted):
            return encoding
    return "identity"


def public_request(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(
        tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)
    )


@contextmanager
def snapshot():
    """A page's reads in one transaction that sees one publication version, which it
    yields, read as its first statement.

    On PostgreSQL, REPEATABLE READ READ ONLY: every query sees the database as the first
    one did (a fact sheet never lists a year it then shows no figures for, while a year
    is published or unpublished), and a page that tried to write would fail. psycopg
    sends the isolation level with its BEGIN. A view's own ``atomic()`` is a savepoint
    in it. Inside a transaction already (a test's), or on SQLite (development; its BEGIN
    would take the write lock), the version is read and no transaction opened.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield Publication.current()
        return
    # A kept connection that died is replaced now, not by atomic() below, which would
    # begin on a new connection without this isolation level.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    driver = connection.connection
    saved = (driver.isolation_level, driver.read_only)
    driver.isolation_level, driver.read_only = IsolationLevel.REPEATABLE_READ, True
    try:
        with transaction.atomic():
            yield Publication.current()
    finally:
        if not driver.closed:
            driver.isolation_level, driver.read_only = saved


def built_from(request) -> Publication:
    """The publication version a request's page is built from: its snapshot's, or (a
    preview, which the page cache passes by) read now."""
    return getattr(request, "publication", None) or Publication.current()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not public_request(request) or has_preview_marker(request):
            return self.get_response(request)
        address, encoding = Address.of(request), preferred_encoding(request)
        if encoding == "identity":  # gzip refused (q=0): GZipMiddleware must not use it
            request.META.pop("HTTP_ACCEPT_ENCODING", None)
        found = cache.get_many([VERSION_KEY, KNOWN_VERSION_KEY, address.key(encoding)])
        token, stored = found.get(VERSION_KEY), found.get(address.key(encoding))
        if stored is not None and stored.token == token:
            return answer(request, stored)
        body = None
        try:
            with snapshot() as publication:
                if token is None:  # expired, or never set (an empty cache): as it stands
                    cache.add(VERSION_KEY, publication.token, VERSION_SECONDS)
                    cache.add(KNOWN_VERSION_KEY, publication.token, None)
                if stored is not None and stored.token == publication.token:
                    return answer(request, stored)
                request.publication = publication
                response = self.get_response(request)
                if response.streaming and cacheable(request, response):
                    body = read_in_snapshot(response)
        except (OperationalError, InterfaceError):
            # The database is away: the page as stored, if it is of the version last
            # announced (never one a publish has retracted since); else a 503.
            if stored is None or stored.token != (token or found.get(KNOWN_VERSION_KEY)):
                raise
            return answer(request, stored)
        return self.store_and_answer(request, response, body, address, publication, encoding)

    def store_and_answer(self, request, response, body, address, publication, encoding):
        if not cacheable(request, response):
            return response
        page = Validators(address, publication)
        if response.streaming and body is None:  # too large to keep: streamed as it is
            return not_modified(request, page) or page.add_to(response)
        pages = store(response, body if response.streaming else response.content, page)
        if pages is None:  # too large to keep
            return not_modified(request, page) or page.add_to(response)
        return answer(request, pages[encoding])


def read_in_snapshot(response):
    """A streamed download's body, read inside the page's snapshot as its other queries
    are, if it is no larger than ``PAGE_CACHE_MAX_BYTES`` (it is then stored as any
    page); else None, and the response streams what was read, then the rest."""
    limit, read, size = settings.PAGE_CACHE_MAX_BYTES, [], 0
    source = iter(response.streaming_content)
    for chunk in source:
        read.append(chunk)
        size += len(chunk)
        if size > limit:
            response.streaming_content = itertools.chain(read, source)
            return None
    return b"".join(read)


def cacheable(request, response) -> bool:
    """A plain 200 that is the same for everyone."""
    if response.status_code != 200 or response.cookies or response.has_header("Content-Encoding"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


@dataclass(frozen=True)
class Validators:
    """A page's ETag, Last-Modified and caching headers, from its address and version."""

    address: Address
    publication: Publication

    @property
    def etag(self) -> str:
        return self.address.etag(self.publication)

    @property
    def modified(self) -> int:
        """The version's date, or today's start when later: pages cite the day."""
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return int(max(self.publication.changed_at, midnight).timestamp())

    def headers(self) -> tuple:
        control = HttpResponse()
        patch_cache_control(
            control,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        )
        return (
            ("ETag", self.etag),
            ("Last-Modified", http_date(self.modified)),
            ("Cache-Control", control["Cache-Control"]),
            ("Vary", "Accept-Encoding, Cookie"),
        )

    def add_to(self, response):
        for name, value in self.headers():
            response[name] = value
        return response


def store(response, body, page: Validators):
    """Keep the page plain, gzipped and in Brotli: {encoding: StoredPage}, or None when
    it is larger than ``PAGE_CACHE_MAX_BYTES``."""
    if len(body) > settings.PAGE_CACHE_MAX_BYTES:
        return None
    kept = tuple((n, v) for n, v in response.items() if n.lower() in KEPT_HEADERS)
    kept += page.headers()
    encoded = {
        "identity": body,
        "gzip": compress_string(body),
        "br": brotli.compress(body, quality=BROTLI_QUALITY),
    }
    pages = {}
    for encoding, data in encoded.items():
        headers = kept + (("Content-Length", str(len(data))),)
        if encoding != "identity":
            headers += (("Content-Encoding", encoding),)
        token, etag, modified = page.publication.token, page.etag, page.modified
        pages[encoding] = StoredPage(token, headers, data, etag, modified)
    keys = {page.address.key(encoding): stored for encoding, stored in pages.items()}
    cache.set_many(keys, settings.PAGE_CACHE_SECONDS)
    return pages


def not_modified(request, page):
    """The answer to a conditional GET that the page (a StoredPage, or the Validators of
    one too large to store) answers without its body: a 304 with its headers, or a 412;
    None when the reader's copy is not the page's."""
    if not any(header in request.META for header in CONDITIONAL):
        return None
    answered = get_conditional_response(request, etag=page.etag, last_modified=page.modified)
    if answered is not None and answered.status_code == 304:
        headers = page.headers if isinstance(page, StoredPage) else page.headers()
        for name, value in headers:
            if name.lower() in NOT_MODIFIED_HEADERS:
                answered[name] = value
    return answered


def answer(request, stored: StoredPage):
    answered = not_modified(request, stored)
    if answered is not None:
        return answered
    response = HttpResponse(b"" if request.method == "HEAD" else stored.body)
    for name, value in stored.headers:
        response[name] = value
    return response
