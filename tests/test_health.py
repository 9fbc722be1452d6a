"""/health/ tells a load balancer whether this process can reach the database, and the
person on call which part is down."""

import os
import secrets
import subprocess
import sys

import pytest
from django.db import OperationalError

from ncmec_site import views

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.django_db
def test_health_is_ok_in_one_query_and_never_cached(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert [line.split(" (")[0] for line in lines] == ["database: ok", "cache: ok"]
    assert all(line.endswith(" ms)") for line in lines)
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


class _DownConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(views, "connection", _DownConnection())

    response = client.get("/health/")

    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]


def test_health_refuses_to_write(client):
    assert client.post("/health/").status_code == 405


def test_production_answers_a_plain_http_probe_of_health_and_redirects_the_rest(tmp_path):
    """A load balancer probes over plain HTTP: prod redirects every other page to HTTPS."""
    script = (
        "from django.test import Client; c = Client();"
        "print(c.get('/health/').status_code, c.get('/').status_code)"
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
    assert result.stdout.split() == ["200", "301"]
