"""The score Mozilla's HTTP Observatory would give a page, by its published rubric.

The Observatory (developer.mozilla.org/observatory, source: mdn/mdn-http-observatory,
``src/analyzer/tests/*.js`` and ``src/grader/charts.js``) cannot reach this machine, so
this script applies its ten tests and its score table to a page fetched here:

    .venv/bin/python benchmarks/observatory.py                  # / under production settings
    .venv/bin/python benchmarks/observatory.py --path /states/minnesota/2023/
    .venv/bin/python benchmarks/observatory.py --url http://127.0.0.1:8000/ --proxied

Without ``--url`` it asks Django's test client, in this process, with
``ncmec_site.settings.prod`` (DJANGO_BEHIND_PROXY on, a random secret, the host
``testserver``) over a scratch SQLite database holding the demo data; static files come
from the finders, which changes no header. First over plain HTTP (the redirection test),
then as a TLS proxy in front would send it (``X-Forwarded-Proto: https``). With
``--url`` it fetches a running server instead: the ``http://`` address for the
redirection test, then the ``https://`` one, or, with ``--proxied``, the same address
with ``X-Forwarded-Proto: https`` (a local gunicorn behind no TLS).

Scoring as the Observatory's: start at 100, add every test's modifier; bonuses count only
when the score without them is 90 or more; A+ is 100 and up. One thing it cannot check
here: whether the host is on the HSTS preload list (+5 once it is); it is counted 0.
Prints each test's result and modifier, then the score and grade. Not a test.
"""

import argparse
import os
import secrets
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks.observatory_rubric import (  # noqa: E402
    PROBE_ORIGIN,
    SCORES,
    Answer,
    grade,
    scorecard,
)

# Fetching.


def from_test_client(path):
    tmp = tempfile.mkdtemp(prefix="observatory-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ncmec_site.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SITE_URL="https://testserver/",
        DJANGO_BEHIND_PROXY="true",
        DJANGO_SQLITE_PATH=str(Path(tmp) / "db.sqlite3"),
        DJANGO_STATIC_ROOT=tmp,  # unused (the finders serve), but WhiteNoise wants it there
    )
    for name in ("DATABASE_URL", "DJANGO_REDIS_URL", "DJANGO_CSP_REPORT_ONLY"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    client = Client()
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={"staticfiles": plain}, WHITENOISE_USE_FINDERS=True):
        first = client.get(path)
        https = {"HTTP_X_FORWARDED_PROTO": "https"}
        answer = client.get(path, **https)
        probed = client.get(path, HTTP_ORIGIN=PROBE_ORIGIN, **https)

    def convert(response, scheme):
        headers = {}
        for name, value in response.items():
            headers.setdefault(name.lower(), []).append(value)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cookies = [morsel.OutputString() for morsel in response.cookies.values()]
        url = f"{scheme}://testserver{path}"
        return Answer(
            url, response.status_code, headers, content.decode(errors="replace"), cookies
        )

    return convert(first, "http"), convert(answer, "https"), convert(probed, "https"), "testserver"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, headers=None, follow=True):
    handlers = [] if follow else [NoRedirects()]
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:  # a 3xx when not following, or an error
        response = error
    headers_out = {}
    for name, value in response.headers.items():
        headers_out.setdefault(name.lower(), []).append(value)
    body = response.read().decode(errors="replace")
    cookies = headers_out.get("set-cookie", [])
    return Answer(response.geturl(), response.status, headers_out, body, cookies)


def from_server(url, proxied):
    parts = urlsplit(url)
    first = fetch(parts._replace(scheme="http").geturl(), follow=False)
    if proxied:
        https = {"X-Forwarded-Proto": "https"}
        answer = fetch(url, https)
        answer.url = parts._replace(scheme="https").geturl()
        probed = fetch(url, {**https, "Origin": PROBE_ORIGIN})
    else:
        secure = parts._replace(scheme="https").geturl()
        answer, probed = fetch(secure), fetch(secure, {"Origin": PROBE_ORIGIN})
    return first, answer, probed, parts.netloc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="/", help="The page to score (test client).")
    parser.add_argument("--url", help="Score a running server's page instead.")
    parser.add_argument(
        "--proxied",
        action="store_true",
        help="With --url: send X-Forwarded-Proto: https to the address as given.",
    )
    args = parser.parse_args(argv)
    if args.url:
        first, answer, probed, host = from_server(args.url, args.proxied)
    else:
        first, answer, probed, host = from_test_client(args.path)
    if not 200 <= answer.status < 300:
        sys.exit(f"{answer.url} answered {answer.status}: the Observatory scores only a 2xx.")
    results, score = scorecard(first, answer, probed, host)
    print(f"Mozilla HTTP Observatory rubric, {answer.url}\n")
    for test, (result, note) in results:
        print(f"{SCORES[result]:+4d}  {test:30} {result}")
        print(f"      {note}")
    print(f"\nScore {score}, grade {grade(score)}")


if __name__ == "__main__":
    main()
