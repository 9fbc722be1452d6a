"""The settings are safe by default and production refuses to run unsafely."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="ncmec_site.settings.prod")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="ncmec_site.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="data.example.org",
        DJANGO_REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_warns_when_the_cache_is_not_shared():
    result = manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="ncmec_site.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="data.example.org",
    )
    assert "programs.W001" in result.stderr + result.stdout
    assert "DJANGO_REDIS_URL" in result.stderr + result.stdout


def test_production_refuses_to_guess_the_site_address_from_a_wildcard_host():
    # The PDFs name the site's address and load their styles from it: a guess from
    # ".example.org" would make unstyled PDFs that the cache then keeps.
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="ncmec_site.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=".example.org",
    )
    assert result.returncode != 0
    assert "DJANGO_SITE_URL" in result.stderr


def test_debug_is_off_unless_asked_for():
    off = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)"
    )
    on = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_DEBUG="1",
    )
    assert off.stdout.strip() == "False", off.stderr
    assert on.stdout.strip() == "True", on.stderr


def test_database_url_selects_postgresql():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'])",
        DATABASE_URL="postgres://someone@db.example.org:5432/ncmec",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "ncmec",
        "db.example.org",
    ], result.stderr


def test_a_database_pool_when_asked_for_and_persistent_connections_otherwise():
    show = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d.get('OPTIONS', {}).get('pool', False))"
    )
    url = "postgres://someone@db.example.org:5432/ncmec"
    persistent = manage("shell", "--no-imports", "-c", show, DATABASE_URL=url)
    pooled = manage("shell", "--no-imports", "-c", show, DATABASE_URL=url, DJANGO_DB_POOL="1")

    assert persistent.stdout.split() == ["60", "False"], persistent.stderr
    # Django refuses a pool with persistent connections: the pool keeps them instead.
    assert pooled.stdout.split() == ["0", "True"], pooled.stderr


def test_production_believes_x_forwarded_proto_only_when_told_a_proxy_is_in_front():
    # Without a proxy that sets it, any client could send X-Forwarded-Proto: https and be
    # taken for one on HTTPS (no redirect, and secure-only cookies sent back over HTTP).
    show = (
        "from django.test import RequestFactory; "
        "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
    )
    prod = {
        "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "data.example.org",
    }
    alone = manage("shell", "--no-imports", "-c", show, **prod)
    proxied = manage("shell", "--no-imports", "-c", show, **prod, DJANGO_BEHIND_PROXY="true")

    assert alone.stdout.strip() == "False", alone.stderr
    assert proxied.stdout.strip() == "True", proxied.stderr


def test_the_content_security_policy_can_be_switched_to_report_only(tmp_path):
    # Enforced by default: tests/test_security_headers.py reads it on every kind of page.
    show = (
        "from django.test import Client; r = Client().get('/health/'); "
        "print(r.get('Content-Security-Policy')); "
        "print(r.get('Content-Security-Policy-Report-Only'))"
    )
    reported = manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        DJANGO_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        DJANGO_CSP_REPORT_ONLY="true",
        DJANGO_CSP_REPORT_URI="https://reports.example.org/csp",
    )

    policy, report_only = reported.stdout.splitlines()
    assert policy == "None", reported.stderr
    assert "default-src 'self'" in report_only
    assert "frame-ancestors 'none'" in report_only
    assert "report-uri https://reports.example.org/csp" in report_only
