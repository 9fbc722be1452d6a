"""A HEAD answer carries GET's status and headers and no body, as the app server gets it.

Django's test client and runserver drop a HEAD answer's body themselves; gunicorn sends
whatever the app gives it (and logs "WSGI app sent body bytes on a no-body response").
So these requests go to the WSGI application gunicorn runs (ncmec_site.wsgi), as
gunicorn calls it."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from ncmec_site.wsgi import application

from .conftest import forget_caches


def served(method, address, **headers):
    """(status, headers, body) of ``address`` as the WSGI application answers it."""
    environ = RequestFactory().generic(method, address, **headers).environ
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=status, headers=response_headers)

    # As Django's test client does: the test's open transaction is not a stale connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], comparable(started["headers"]), body


# New on each answer: a sign-in page's CSRF cookie, the request's id.
PER_ANSWER = ("Set-Cookie", "X-Request-ID")


def comparable(headers):
    return sorted((name, value) for name, value in headers if name not in PER_ANSWER)


ADDRESSES = [
    "/states/minnesota/",
    "/data/figures.csv",
    "/api/v1/states/MN/",
    "/states/nowhere/",  # a 404 page
    "/search/?q=minnesota",
    "/admin/login/",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_head_answer_has_no_body_and_the_headers_of_get(site, db, address):
    head = served("HEAD", address)  # the page built for it (the cache is empty)
    forget_caches()
    get = served("GET", address)

    assert head[2] == b""
    assert get[2] != b""
    assert head[:2] == get[:2]


@pytest.mark.parametrize("address", ["/states/minnesota/", "/api/v1/states/MN/"])
def test_a_head_answer_from_the_page_cache_has_no_body_and_the_headers_of_get(site, db, address):
    get = served("GET", address, HTTP_ACCEPT_ENCODING="gzip")
    head = served("HEAD", address, HTTP_ACCEPT_ENCODING="gzip")

    assert ("Content-Encoding", "gzip") in get[1]
    assert head[2] == b""
    assert head[:2] == get[:2]


def test_a_download_too_large_to_keep_answers_head_without_a_body(site, db, settings):
    settings.PAGE_CACHE_MAX_BYTES = 100  # streamed as it is read, never stored
    head = served("HEAD", "/data/figures.csv")
    get = served("GET", "/data/figures.csv")

    assert len(get[2]) > 100
    assert head[2] == b""
    assert head[:2] == get[:2]
