"""The site keeps serving when its parts fail, on a small scale (benchmarks/faults.py
runs the production set-up under load through the same faults).

- Redis hung or gone: a page is built from the database, waiting on Redis 100 ms at most
  once, and caching resumes by itself when Redis is back. A Redis of the test's own
  (``PrivateRedis``), stopped with SIGSTOP: the machine's shared one is never touched.
- PostgreSQL gone: a page the cache holds is served; one it does not hold is a 503 page
  that says to try again (``Retry-After``), a JSON 503 under /api/, never a 500;
  /health/ready/ says the database is down. Every query fails here as it does when
  PostgreSQL cannot be reached (``_refuse``); benchmarks/faults.py cuts a real connection.
"""

import logging
import time

import pytest
import redis as redis_client
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, override_settings

from benchmarks.faults import PrivateRedis
from ncmec_site import cache as cache_backend
from programs.models import Edition, Publication
from programs.models.publication import VERSION_KEY
from programs.publishing import edition_unpublish

PAGE = "/states/minnesota/2023/"
NOT_STORED = "/programs/cybertipline/"


@pytest.fixture(scope="module")
def private_redis():
    with PrivateRedis() as server:
        yield server


@pytest.fixture
def on_redis(private_redis):
    """The cache on the test's own Redis, emptied, as production sets it up."""
    redis_client.Redis.from_url(private_redis.url).flushdb()
    caches = {
        "default": {
            "BACKEND": "ncmec_site.cache.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_timeout": 0.1, "socket_connect_timeout": 0.1},
        }
    }
    with override_settings(CACHES=caches):
        yield private_redis
    private_redis.resume()
    cache_backend._resting_until = 0.0  # the next test's Redis is a new one


def _refuse(execute, sql, params, many, context):
    """Every query fails as it does while PostgreSQL cannot be reached."""
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


def stored_pages(server):
    return redis_client.Redis.from_url(server.url).keys("*page:*")


def test_a_page_is_built_when_redis_hangs_waiting_on_it_once_and_briefly(demo, on_redis, caplog):
    reader = Client()
    on_redis.hang()

    with caplog.at_level(logging.WARNING, logger="ncmec_site.cache"):
        first = reader.get(PAGE)
        second = reader.get(NOT_STORED)

    assert (first.status_code, second.status_code) == (200, 200)
    assert "8,611" in first.content.decode()
    # Redis is waited on once (its 100 ms timeout), then left alone: the second page
    # never asks it, so one warning in all. (How long a wait takes is measured by
    # benchmarks/faults.py, not here.)
    waits = [r for r in caplog.records if "Redis out of reach" in r.getMessage()]
    assert len(waits) == 1


def test_caching_resumes_by_itself_when_redis_comes_back(demo, on_redis):
    reader = Client()
    on_redis.hang()
    assert reader.get(PAGE).status_code == 200
    on_redis.resume()
    time.sleep(cache_backend.RETRY_SECONDS)

    assert reader.get(PAGE).status_code == 200
    assert stored_pages(on_redis)


def test_pages_are_stored_in_redis_and_a_stored_page_costs_no_query(
    demo, on_redis, django_assert_num_queries
):
    first = Client().get(PAGE)

    with django_assert_num_queries(0):
        again = Client().get(PAGE)

    assert again.content == first.content
    assert len(stored_pages(on_redis)) == 3  # plain, gzip, Brotli


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "ncmec_site.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_timeout": 0.1, "socket_connect_timeout": 0.1},
        }
    }
)
def test_pages_are_served_when_redis_is_gone(demo):
    try:
        response = Client().get(PAGE, HTTP_ACCEPT_ENCODING="gzip")
    finally:
        cache_backend._resting_until = 0.0

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_a_stored_page_is_served_while_the_database_is_down(demo):
    reader = Client(raise_request_exception=False)
    first = reader.get(PAGE)

    with connection.execute_wrapper(_refuse):
        again = reader.get(PAGE)

    assert again.status_code == 200
    assert again.content == first.content


def test_a_stored_page_is_served_while_the_database_is_down_though_its_version_expired(demo):
    reader = Client(raise_request_exception=False)
    first = reader.get(PAGE)
    cache.delete(VERSION_KEY)  # a minute later: the version the cache knew expired

    with connection.execute_wrapper(_refuse):
        again = reader.get(PAGE)

    assert again.status_code == 200
    assert again.content == first.content


def test_a_page_a_publish_retracted_is_not_served_while_the_database_is_down(demo):
    reader = Client(raise_request_exception=False)
    assert "8,611" in reader.get(PAGE).content.decode()
    edition_unpublish(edition=Edition.objects.get(year=2023))
    Publication.announce()  # as the unpublish commits (a test's transaction never does)

    with connection.execute_wrapper(_refuse):
        response = reader.get(PAGE)

    assert response.status_code == 503
    assert "8,611" not in response.content.decode()


@pytest.mark.parametrize("url", [NOT_STORED, f"{PAGE}?from=elsewhere"])
def test_a_page_not_stored_is_a_503_saying_to_try_again_while_the_database_is_down(demo, url):
    reader = Client(raise_request_exception=False)

    with connection.execute_wrapper(_refuse):
        response = reader.get(url)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "briefly unavailable" in page and "try again" in page
    assert 'href="/"' in page  # a way on: the home page, which is usually stored


def test_the_api_says_so_in_json_while_the_database_is_down(demo):
    reader = Client(raise_request_exception=False)

    with connection.execute_wrapper(_refuse):
        response = reader.get("/api/v1/figures/?year=2023")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["error"]["status"] == 503


def test_health_says_the_database_is_down(db):
    reader = Client(raise_request_exception=False)

    with connection.execute_wrapper(_refuse):
        response = reader.get("/health/ready/")
        alive = reader.get("/health/")

    assert response.status_code == 503
    assert "database: down" in response.content.decode()
    assert "cache: ok" in response.content.decode()
    assert alive.status_code == 200  # the process itself answers: no restart needed


def test_health_says_the_cache_is_down_and_the_site_serves(demo, on_redis):
    on_redis.hang()

    response = Client().get("/health/ready/")

    assert response.status_code == 503
    assert "database: ok" in response.content.decode()
    assert "cache: down" in response.content.decode()
    assert Client().get(PAGE).status_code == 200  # pages are built from the database


def test_everything_resumes_when_the_database_is_back(demo):
    reader = Client(raise_request_exception=False)
    with connection.execute_wrapper(_refuse):
        assert reader.get(NOT_STORED).status_code == 503

    response = reader.get(NOT_STORED)

    assert response.status_code == 200
    assert Publication.current().token  # the connection answers again
