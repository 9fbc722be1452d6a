"""/health/ tells a load balancer or a supervisor that this process answers, asking nothing
of the database or the cache; /health/ready/ tells the person on call which part is down."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import OperationalError

from ncmec_site import views

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _refuse(execute, sql, params, many, context):
    raise OperationalError("connection refused")


class _DownCache:
    def set(self, *args, **kwargs):
        return None  # as ncmec_site/cache.py answers while Redis is away

    def get(self, *args, **kwargs):
        raise AssertionError("/health/ asks nothing of the cache")


@pytest.mark.django_db
def test_liveness_answers_ok_without_the_database_or_the_cache(client, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(views, "cache", _DownCache())
    with connection.execute_wrapper(_refuse):
        response = client.get("/health/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_liveness_makes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/health/").status_code == 200


@pytest.mark.django_db
def test_readiness_is_ok_in_one_query_and_never_cached(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/ready/")

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert [line.split(" (")[0] for line in lines] == ["database: ok", "cache: ok"]
    assert all(line.endswith(" ms)") for line in lines)
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert cache.get("health-check") == "1"  # it wrote to the cache and read it back


class _DownConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_readiness_is_503_naming_the_database_when_it_is_down(client, monkeypatch):
    monkeypatch.setattr(views, "connection", _DownConnection())

    response = client.get("/health/ready/")

    assert response.status_code == 503
    assert "database: down" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_is_503_naming_the_cache_when_it_is_down(client, monkeypatch):
    monkeypatch.setattr(views, "cache", _DownCache())

    response = client.get("/health/ready/")

    assert response.status_code == 503
    assert response.content.decode().splitlines()[0].startswith("database: ok")
    assert response.content.decode().splitlines()[1].startswith("cache: down")


@pytest.mark.parametrize("url", ["/health/", "/health/ready/"])
def test_health_refuses_to_write(client, url):
    assert client.post(url).status_code == 405


def test_production_answers_a_plain_http_probe_of_health_and_redirects_the_rest(tmp_path):
    """A load balancer probes over plain HTTP: prod redirects every other page to HTTPS."""
    script = (
        "from django.test import Client; c = Client();"
        "print(c.get('/health/').status_code, c.get('/health/ready/').status_code,"
        " c.get('/').status_code)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SQLITE_PATH": str(tmp_path / "health.sqlite3"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["200", "200", "301"]
