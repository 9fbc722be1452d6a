"""Every answer carries the headers that keep a hostile site from using ours.

What a browser (or the Mozilla HTTP Observatory) reads: a strict Content-Security-Policy,
HSTS, a Permissions-Policy that denies every feature, Cross-Origin-Resource-Policy
(``same-origin`` for pages, ``cross-origin`` for what other sites are meant to read),
Cross-Origin-Opener-Policy, nosniff, a referrer policy and no framing (but of the pages
made to be embedded); the same on a page rendered now, on the same page answered from
the page cache, and on its 304. Public pages
answer GET and HEAD only; a year is written one way in an address.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

from ncmec_site.security import PERMISSIONS_POLICY

ROOT = Path(__file__).resolve().parent.parent

# What ncmec_site/settings/prod.py turns on (with DJANGO_BEHIND_PROXY: the test client's
# secure=True stands for the TLS proxy in front).
PRODUCTION = override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=60 * 60 * 24 * 365,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SECURE_REFERRER_POLICY="same-origin",
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    X_FRAME_OPTIONS="DENY",
)

FACT_SHEET = "/states/minnesota/2023/"
CSV = "/data/figures.csv?state=MN"
METRIC = "/metrics/cybertipline-reports-to-law-enforcement/"
EMBED = "/embed/metrics/cybertipline-reports-to-law-enforcement/map/"


@pytest.fixture(autouse=True)
def production_settings():
    """Every test here runs with production's security settings."""
    with PRODUCTION:
        yield


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_protected(response, *, resource_policy="same-origin", framed=False):
    """Every header; ``framed``: any site may frame the page (an embed), nothing else."""
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == (["*"] if framed else ["'none'"])
    assert not any(
        "unsafe" in source or "nonce" in source or source in ("data:", "*", "https:")
        for name, sources in csp.items()
        if name not in ("script-src-attr", "style-src-attr", "frame-ancestors")
        for source in sources
    )
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == resource_policy
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response.get("X-Frame-Options") == (None if framed else "DENY")
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_fact_sheet_carries_every_header_fresh_from_the_cache_and_in_its_304(
    site, db, client, django_assert_num_queries
):
    fresh = client.get(FACT_SHEET, secure=True)
    assert fresh.status_code == 200
    assert_protected(fresh)

    with django_assert_num_queries(0):  # the page cache answers: no view runs
        cached = client.get(FACT_SHEET, secure=True)
        not_modified = client.get(FACT_SHEET, secure=True, HTTP_IF_NONE_MATCH=fresh["ETag"])
        gzipped = client.get(FACT_SHEET, secure=True, HTTP_ACCEPT_ENCODING="gzip")

    assert cached.content == fresh.content
    assert_protected(cached)
    assert not_modified.status_code == 304
    assert_protected(not_modified)
    assert gzipped["Content-Encoding"] == "gzip"
    assert_protected(gzipped)


def test_a_csv_download_may_be_read_by_other_sites_and_keeps_every_other_header(site, db, client):
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(CSV, secure=True)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert_protected(response, resource_policy="cross-origin")


def test_an_embed_may_be_framed_by_any_site_fresh_from_the_cache_and_in_its_304(
    site, db, client, django_assert_num_queries
):
    fresh = client.get(EMBED, secure=True)
    assert fresh.status_code == 200
    assert_protected(fresh, resource_policy="cross-origin", framed=True)

    with django_assert_num_queries(0):  # the page cache answers: no view runs
        cached = client.get(EMBED, secure=True)
        not_modified = client.get(EMBED, secure=True, HTTP_IF_NONE_MATCH=fresh["ETag"])

    assert cached.content == fresh.content
    assert_protected(cached, resource_policy="cross-origin", framed=True)
    assert not_modified.status_code == 304
    assert_protected(not_modified, resource_policy="cross-origin", framed=True)


@pytest.mark.parametrize("path", ["/", FACT_SHEET, METRIC, METRIC + "map.png", "/embedded/"])
def test_every_other_address_may_be_framed_by_no_site(site, db, client, path):
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(path, secure=True)
        assert policy(response)["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"


def test_an_svg_file_may_load_run_or_style_nothing_even_opened_on_its_own(site, db, client):
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(METRIC + "map.svg", secure=True)
        assert response["Content-Type"] == "image/svg+xml"
        csp = policy(response)
        for directive in ("default-src", "script-src", "style-src", "img-src", "font-src"):
            assert csp[directive] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        # Another site may show it, as an image.
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_api_and_the_fact_sheet_pdf_may_be_read_by_other_sites(site, db, client):
    api = client.get("/api/v1/programs/", secure=True)
    assert api["Access-Control-Allow-Origin"] == "*"
    assert_protected(api, resource_policy="cross-origin")

    pdf = client.get(FACT_SHEET + "fact-sheet.pdf", secure=True)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cross-Origin-Resource-Policy"] == "cross-origin"
    # No policy on a PDF: the browser's own viewer page would be held to it.
    assert "Content-Security-Policy" not in pdf
    assert pdf["Permissions-Policy"] == PERMISSIONS_POLICY
    assert pdf["X-Content-Type-Options"] == "nosniff"


def test_the_admin_login_page_carries_the_policy_and_only_the_export_pages_inline_text(
    site, db, client
):
    response = client.get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert_protected(response)
    # import-export's export page: its inline handler and two style attributes, allowed
    # by their hashes alone (onSelectToggleChange(event), padding: 0;, font-weight: bold;).
    assert policy(response)["script-src-attr"] == [
        "'unsafe-hashes'",
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
    ]
    assert policy(response)["style-src-attr"] == [
        "'unsafe-hashes'",
        "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",
        "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",
    ]
    public = policy(client.get(FACT_SHEET, secure=True))
    assert "script-src-attr" not in public and "style-src-attr" not in public


def test_plain_http_is_redirected_to_https(site, db, client):
    response = client.get(FACT_SHEET)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + FACT_SHEET


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PROPFIND", "FOO"])
@pytest.mark.parametrize("path", ["/", FACT_SHEET, "/programs/cybertipline/", CSV])
def test_public_pages_refuse_every_method_but_get_and_head(site, db, client, method, path):
    response = client.generic(method, path, secure=True)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert f"{method} is not allowed here" in response.content.decode()
    assert "Permissions-Policy" in response
    assert "Content-Security-Policy" in response


def test_a_post_to_a_public_page_is_refused_before_its_view(site, db, client):
    response = client.post(FACT_SHEET, {"anything": "1"}, secure=True)
    assert response.status_code == 405


def test_the_api_still_answers_other_methods_in_json(site, db, client):
    response = client.generic("TRACE", "/api/v1/programs/", secure=True)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    preflight = client.options(
        "/api/v1/programs/", secure=True, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204


@pytest.mark.parametrize(
    "path",
    [
        "/states/minnesota/02023/",
        "/states/minnesota/02023/fact-sheet.pdf",
        "/programs/cybertipline/02023/",
        "/states/minnesota/0999/",
        "/states/minnesota/20230/",
    ],
)
def test_a_year_is_written_one_way_in_an_address(site, db, client, path):
    assert client.get(path, secure=True).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/metrics/cybertipline-reports-to-law-enforcement/?year=02023",
        "/data/figures.csv?year=02023",
    ],
)
def test_a_zero_padded_year_in_a_query_is_refused_too(site, db, client, path):
    assert client.get(path, secure=True).status_code == 400


def test_the_year_addresses_still_answer(site, db, client):
    for path in (FACT_SHEET, "/programs/cybertipline/2023/", FACT_SHEET + "fact-sheet.pdf"):
        assert client.get(path, secure=True).status_code == 200, path


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_names_no_software_in_its_server_header(tmp_path):
    """The repository's gunicorn.conf.py, serving the test settings on a free port."""
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    clean.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.test",
            "DJANGO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "1",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/health/")
                response = connection.getresponse()
                break
            except ConnectionRefusedError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
                time.sleep(0.1)
        assert response.status == 200
        assert "gunicorn" not in str(response.headers).lower()
        assert response.getheader("Server", "") == ""
        assert response.getheader("Permissions-Policy") == PERMISSIONS_POLICY
        assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
