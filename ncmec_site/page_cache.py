"""Every anonymous reader's page from the shared cache, keyed on the publication version.

A public page is the same for every reader without a session (the preview lives in
staff sessions; nothing else varies), so it is rendered once per publication version,
address and day, and then answered from the cache (Redis in production: every app
process and the cron job that publishes share it) without a query but the version's,
which :meth:`Publication.shared` keeps for a few seconds. Publishing raises the version,
so every page changes at once; old entries are never read again and expire.

Each stored page keeps its bytes twice, as they are and gzipped, so a hit costs one
cache read and no compression. Responses carry a weak ETag and a Last-Modified from
the version (and the day: pages cite the date they were retrieved), answer a
conditional GET with a 304, and say ``Cache-Control: public`` with a lifetime and
``stale-while-revalidate`` for a CDN or nginx in front (README: "Running in
production").

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
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_sequence, compress_string

from programs.models import Publication

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Headers a stored page keeps; the rest (Date, Vary, caching) are set on every answer.
KEPT_HEADERS = {
    "content-type",
    "content-disposition",
    "content-language",
    "link",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
    "strict-transport-security",
}
# Headers a 304 repeats (RFC 9110 15.4.5, and what a cross-origin script may read).
NOT_MODIFIED_HEADERS = ("access-control-allow-origin", "access-control-expose-headers")


@dataclass(frozen=True)
class StoredPage:
    headers: tuple  # (name, value) pairs of KEPT_HEADERS
    body: bytes
    gzipped: bool


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


def page_key(request, version, encoding) -> str:
    """Differs by version, encoding, scheme, host, path, query string and day."""
    address = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            request.META.get("QUERY_STRING", ""),
            timezone.localdate().isoformat(),
        ]
    )
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{version}:{encoding}:{digest}"


def validators(request, publication):
    """A weak ETag (the same page gzipped or not) and the Last-Modified timestamp."""
    key = hashlib.sha256(page_key(request, publication.version, "etag").encode()).hexdigest()
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    modified = max(publication.changed_at, today)
    return f'W/"{key[:32]}"', int(modified.timestamp())


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        publication = request.publication = Publication.shared()
        etag, modified = validators(request, publication)
        gzip = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        stored = cache.get(page_key(request, publication.version, _encoding(gzip)))
        if stored is not None:
            return self.answer(request, stored, etag, modified)
        # The ETag of this version, address and day was only ever sent with this page:
        # a client that holds it gets a 304 without the page being rendered again.
        if "HTTP_IF_NONE_MATCH" in request.META:
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None and not_modified.status_code == 304:
                return self.finish(not_modified, etag, modified)
        # Render uncompressed (GZipMiddleware stays out of it); both encodings are stored.
        accept_encoding = request.META.pop("HTTP_ACCEPT_ENCODING", None)
        response = self.get_response(request)
        if accept_encoding is not None:
            request.META["HTTP_ACCEPT_ENCODING"] = accept_encoding
        if not cacheable_response(request, response):
            return response
        keys = {
            encoding: page_key(request, publication.version, encoding)
            for encoding in ("identity", "gzip")
        }
        if response.streaming:
            return self.stream_and_store(request, response, keys, etag, modified, gzip)
        pages = self.store(response, response.content, keys)
        if pages is None:
            return response
        return self.answer(request, pages[_encoding(gzip)], etag, modified)

    def store(self, response, body, keys):
        if len(body) > settings.PAGE_CACHE_MAX_BYTES:
            return None
        headers = tuple(
            (name, value) for name, value in response.items() if name.lower() in KEPT_HEADERS
        )
        pages = {
            "identity": StoredPage(headers, body, gzipped=False),
            "gzip": StoredPage(headers, compress_string(body), gzipped=True),
        }
        cache.set_many({keys[e]: page for e, page in pages.items()}, settings.PAGE_CACHE_SECONDS)
        return pages

    def stream_and_store(self, request, response, keys, etag, modified, gzip):
        """A download streams to its first reader as it is made, and is stored when it
        ends if it was no larger than the limit."""
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
                self.store(response, b"".join(kept), keys)

        content = tee()
        if gzip:
            content = compress_sequence(content)
            response["Content-Encoding"] = "gzip"
            del response["Content-Length"]
        response.streaming_content = content
        return self.finish(response, etag, modified)

    def answer(self, request, stored, etag, modified):
        not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
        if not_modified is not None:
            for name, value in stored.headers:
                if name.lower() in NOT_MODIFIED_HEADERS:
                    not_modified[name] = value
            return self.finish(not_modified, etag, modified)
        response = HttpResponse(b"" if request.method == "HEAD" else stored.body)
        for name, value in stored.headers:
            response[name] = value
        response["Content-Length"] = str(len(stored.body))
        if stored.gzipped:
            response["Content-Encoding"] = "gzip"
        return self.finish(response, etag, modified)

    def finish(self, response, etag, modified):
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(modified)
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_CACHE_MAX_AGE,
                stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
            )
        patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
        return response


def _encoding(gzip):
    return "gzip" if gzip else "identity"
