"""Every anonymous reader's page from the cache, keyed on the publication version.

A public page is the same for every reader without a session (the preview lives in
staff sessions; nothing else varies), so it is rendered once per publication version,
address and day, then answered from the cache without a query: the version comes from
:meth:`Publication.recent`, read at most every few seconds. Publishing raises the
version, so every page changes at once; old entries are never read again and expire.

Two tiers: the shared cache (Redis in production: a page one worker rendered serves
every worker) and, in front of it, a small memory of this process's most read pages
(``PAGE_CACHE_LOCAL_BYTES``), which a hit answers without leaving the process. Both
key on the release (``DJANGO_RELEASE``) and the publication's token (its version and
when it changed), so neither can serve a page of an older one, nor of a restored
database's version seen a second time. Without Redis (down, or not set), pages are
rendered as if there were no cache; nothing fails.

Each page is kept as it is, gzipped and in Brotli (``br``, for a client that accepts it;
about a sixth smaller than gzip), with its final headers: a weak ETag and a
Last-Modified from the version (and the day: pages cite the date they were retrieved),
``Cache-Control: public`` with a lifetime and ``stale-while-revalidate`` for a CDN or
nginx in front (README: "Running in production"); a conditional GET gets a 304.

Never cached: anything but GET and HEAD, a request with a session cookie or an
Authorization header, the excluded paths (admin, preview, health), and any response
that is not a plain 200 for everyone (a cookie set, a CSRF token used, ``private`` or
``no-store``, already encoded, or larger than ``PAGE_CACHE_MAX_BYTES``).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.text import compress_sequence, compress_string

from programs.models import Publication

from .cache import LocalMemory
from .compression import GZipMiddleware, accepts_gzip, brotli_bytes, stored_encoding

# A stored page's layout: a release that changes StoredPage or its keys changes it.
FORMAT = 2
# What a stored page costs beyond its body and headers (key, objects, the LRU's node).
ENTRY_OVERHEAD = 1024
# Headers of the view's response a stored page keeps (the outer middleware sets the
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
# A response for a client that accepts gzip, when the page cache does not keep it.
_gzip = GZipMiddleware(lambda request: None)


@dataclass(frozen=True)
class StoredPage:
    headers: tuple  # (name, value): the kept headers, then validators and caching
    body: bytes
    etag: str
    modified: int  # Last-Modified, a timestamp


@dataclass(frozen=True)
class Address:
    """A request's page: its cache keys for this version and its validators."""

    token: str  # the release, the publication's token (Publication.token)
    digest: str
    etag: str
    modified: int

    def key(self, encoding: str) -> str:
        """``encoding``: "identity", "gzip" or "br"."""
        return f"page:{self.token}:{encoding}:{self.digest}"


def cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))


def cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.cookies or response.has_header("Content-Encoding"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def address(request, publication) -> Address:
    """Differs by release, publication, scheme, host, path, query string and day."""
    today = timezone.localtime()
    token = f"{FORMAT}.{settings.PAGE_CACHE_RELEASE}.{publication.token}"
    parts = [
        token,
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        today.date().isoformat(),
    ]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    midnight = today.replace(hour=0, minute=0, second=0, microsecond=0)
    modified = int(max(publication.changed_at, midnight).timestamp())
    return Address(token, digest, f'W/"{digest[:32]}"', modified)


def _cost(key, page):
    headers = sum(len(name) + len(value) for name, value in page.headers)
    return len(page.body) + len(key) + headers + ENTRY_OVERHEAD


# This process's most recently read pages, in front of Redis.
local_pages = LocalMemory(_cost, "PAGE_CACHE_LOCAL_BYTES")


def stored_page(key):
    page = local_pages.get(key)
    if page is None:
        page = cache.get(key)  # Redis away is a miss (ncmec_site/cache.py)
        if page is not None:
            local_pages.put(key, page)
    return page


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        request.publication = Publication.recent()
        page = address(request, request.publication)
        encoding = stored_encoding(request)
        stored = stored_page(page.key(encoding))
        if stored is not None:
            return answer(request, stored)
        # Rendered uncompressed (GZipMiddleware stays out of it); every encoding is kept.
        accept_encoding = request.META.pop("HTTP_ACCEPT_ENCODING", None)
        response = self.get_response(request)
        if accept_encoding is not None:
            request.META["HTTP_ACCEPT_ENCODING"] = accept_encoding
        if not cacheable_response(request, response):
            return _gzip.process_response(request, response)
        if response.streaming:
            return stream_and_store(response, page, accepts_gzip(request))
        pages = store(response, response.content, page)
        if pages is None:
            return _gzip.process_response(request, response)
        return answer(request, pages[encoding])


def caching_headers(page):
    control = HttpResponse()
    patch_cache_control(
        control,
        public=True,
        max_age=settings.PAGE_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
    )
    return (
        ("ETag", page.etag),
        ("Last-Modified", http_date(page.modified)),
        ("Cache-Control", control["Cache-Control"]),
        ("Vary", "Accept-Encoding, Cookie"),
    )


def store(response, body, page):
    """Keep the page plain, gzipped and in Brotli; {encoding: StoredPage}, or None when
    too large."""
    if len(body) > settings.PAGE_CACHE_MAX_BYTES:
        return None
    kept = tuple((n, v) for n, v in response.items() if n.lower() in KEPT_HEADERS)
    kept += caching_headers(page)
    encoded = {"identity": body, "gzip": compress_string(body), "br": brotli_bytes(body)}
    pages = {}
    for encoding, data in encoded.items():
        headers = kept + (("Content-Length", str(len(data))),)
        if encoding != "identity":
            headers += (("Content-Encoding", encoding),)
        pages[encoding] = StoredPage(headers, data, page.etag, page.modified)
    cache.set_many({page.key(e): p for e, p in pages.items()}, settings.PAGE_CACHE_SECONDS)
    for encoding, stored in pages.items():
        local_pages.put(page.key(encoding), stored)
    return pages


def stream_and_store(response, page, gzip):
    """A download streams to its first reader as it is made, and is kept when it ends
    if it was no larger than the limit."""
    limit = settings.PAGE_CACHE_MAX_BYTES
    source = response.streaming_content

    def tee():
        kept, size = [], 0
        for chunk in source:
            size += len(chunk)
            if size <= limit:
                kept.append(chunk)
            yield chunk
        if size <= limit:
            store(response, b"".join(kept), page)

    content = tee()
    if gzip:
        content = compress_sequence(content)
        response["Content-Encoding"] = "gzip"
        del response["Content-Length"]
    response.streaming_content = content
    for name, value in caching_headers(page):
        response[name] = value
    return response


def answer(request, stored):
    if any(header in request.META for header in CONDITIONAL):
        not_modified = get_conditional_response(
            request, etag=stored.etag, last_modified=stored.modified
        )
        if not_modified is not None:
            if not_modified.status_code == 304:
                for name, value in stored.headers:
                    if name.lower() in NOT_MODIFIED_HEADERS:
                        not_modified[name] = value
            return not_modified
    response = HttpResponse(b"" if request.method == "HEAD" else stored.body)
    for name, value in stored.headers:
        response[name] = value
    return response
