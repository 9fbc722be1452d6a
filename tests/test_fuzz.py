"""The public never sees a 500: several hundred requests to the public pages, downloads
and API with hostile path segments, query strings and headers (huge numbers, unicode,
NUL bytes and other control characters, bad percent-encoding, repeated parameters, years
like 02023 and -1), each answered below 500. Seeded, so a failure repeats: the message
lists every request that failed, to paste into a test of its own. Every API address with
a control character in its path or its query is a JSON 400."""

import random
import re
from urllib.parse import quote

import pytest
from django.test import Client

SEED = 11
REQUESTS = 400

SLUGS = ("minnesota", "cybertipline", "cybertipline-reports-to-law-enforcement")
STATE_CODES = ("MN", "mn", "WI", "US", "XX", "ZZZ", "M N")
HOSTILE = (
    "",
    "02023",
    "2023",
    "2022",
    "1983",
    "2101",
    "0",
    "-1",
    "9999",
    "99999999999999999999",
    "1e3",
    "2023.0",
    " 2023",
    "2023\n",
    "0x7e7",
    "٢٠٢٣",  # Arabic-Indic digits: isdigit() says yes, the site says no
    "Minnesota",
    "Bogotá",
    "ß",
    "😀",
    "\u202e",
    "a" * 3000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\x00",
    "nul\x00byte",
    "%00",
    # Control characters: refused with a 400 before any view (ncmec_site/control_characters.py).
    "\x01",
    "\x08",
    "\t",
    "\r\n",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "%0d%0a",
    "%7f",
    "%c2%85",
    "%ff%fe",
    "\ufeff",
    "..",
    ".",
    "null",
    "[]",
    "{}",
    "${7*7}",
    "{year}",
    "=1+1",
)
# Path templates: {s} a slug or a hostile segment, {y} a year or a hostile segment.
PATHS = (
    "/",
    "/{s}/",
    "/programs/",
    "/programs/{s}/",
    "/programs/{s}/{y}/",
    "/states/",
    "/states/{s}/",
    "/states/{s}/{y}/",
    "/states/{s}/{y}/fact-sheet.pdf",
    "/metrics/{s}/",
    "/metrics/{s}/chart.svg",
    "/metrics/{s}/map.svg",
    "/metrics/{s}/map.csv",
    "/embed/metrics/{s}/chart/",
    "/embed/metrics/{s}/map/",
    "/compare/",
    "/revisions/",
    "/revisions/{y}/",
    "/revisions/feed/",
    "/search/",
    "/data/",
    "/data/figures.csv",
    "/data/figures.json",
    "/data/figures.xlsx",
    "/data/metrics.csv",
    "/data/states.csv",
    "/data/datapackage.json",
    "/data/{s}",
    "/api/",
    "/api/v1/openapi.json",
    "/api/v1/programs/",
    "/api/v1/programs/{s}/",
    "/api/v1/states/",
    "/api/v1/states/{s}/",
    "/api/v1/metrics/",
    "/api/v1/metrics/{s}/",
    "/api/v1/figures/",
    "/api/v1/{s}",
    "/sitemap.xml",
    "/robots.txt",
)
PARAMS = (
    "year",
    "state",
    "states",
    "program",
    "metric",
    "measure",
    "q",
    "page",
    "page_size",
    "next",
)
ACCEPT = (
    None,
    "*/*",
    "text/html",
    "application/json",
    "text/csv",
    "application/json;q=0, text/html;q=0",
    "garbage;;;q=x",
    "\x00",
    "text/html, " * 200,
)
ACCEPT_ENCODING = (None, "gzip", "gzip;q=0", "br, gzip;q=0.5", "identity;q=0, *;q=0", "\x00")


def segment(rng, real):
    """A real value most of the time, else something hostile, percent-encoded or raw."""
    if rng.random() < 0.4:
        return rng.choice(real)
    text = rng.choice(HOSTILE)
    return text if text.startswith("%") or rng.random() < 0.5 else quote(text, safe="")


def query(rng):
    parts = []
    for _ in range(rng.choice((0, 1, 1, 2, 3, 8))):
        name = rng.choice(PARAMS)
        real = {
            "state": STATE_CODES,
            "states": ("MN,WI,IA", "MN", ",,,"),
            "measure": ("rate", "count"),
        }.get(name, ("2023",))
        parts.append(f"{name}={segment(rng, real)}")
    if rng.random() < 0.05:
        parts.append("year=2023&" * 300)  # one parameter, repeated
    return "&".join(parts)


def requests(seed=SEED, count=REQUESTS):
    rng = random.Random(seed)
    for _ in range(count):
        template = rng.choice(PATHS)
        year = segment(rng, ("2023", "2022"))
        if template.endswith(".pdf") and year in ("2023", "2022"):
            year = "02023"  # a real PDF takes a second to render; the page test has it
        path = template.format(s=segment(rng, SLUGS + STATE_CODES), y=year)
        headers = {}
        if accept := rng.choice(ACCEPT):
            headers["HTTP_ACCEPT"] = accept
        if encoding := rng.choice(ACCEPT_ENCODING):
            headers["HTTP_ACCEPT_ENCODING"] = encoding
        yield path, query(rng), rng.choice(("GET", "GET", "GET", "HEAD")), headers


def test_no_hostile_request_gets_a_server_error(site, db):
    client = Client(raise_request_exception=False)
    failed = []
    for path, query_string, method, headers in requests():
        address = f"{path}?{query_string}" if query_string else path
        send = client.head if method == "HEAD" else client.get
        response = send(address, **headers)
        try:
            if response.streaming:
                b"".join(response.streaming_content)
        except Exception as error:  # a download that fails half-way: the reader's 500
            failed.append(f"{method} {address[:200]!r} {headers} -> {error!r} mid-stream")
        if response.status_code >= 500:
            failed.append(f"{method} {address[:200]!r} {headers} -> {response.status_code}")

    assert failed == []


# Every control character class the site refuses, raw and as a reader's address holds it.
CONTROL_CHARACTERS = ("\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x1f", "\x7f", "\x85", "\x9f")


def api_addresses(segment):
    """Every address under /api/, each with ``segment`` in place of its parameter (an
    address with none as it is, and ``segment`` as a query parameter's value)."""
    from programs.api.urls import api_urlpatterns

    for pattern in api_urlpatterns[0]:
        route = str(pattern.pattern)
        if route.startswith("^"):  # the catch-all: anything else under /api/
            route = f"v1/{segment}"
        yield "/api/" + re.sub(r"<[^>]+>", segment, route)


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=ascii)
def test_every_api_address_refuses_a_control_character_with_a_json_400(site, db, character):
    client = Client(raise_request_exception=False)
    encoded = quote(character, safe="")
    answers = {}
    for address in api_addresses(f"mn{encoded}"):
        if encoded in address:
            answers[address] = client.get(address)
        plain = address.replace(encoded, "")
        answers[f"{plain}?year={encoded}"] = client.get(plain, {"year": character})

    statuses = {address: answer.status_code for address, answer in answers.items()}
    assert set(statuses.values()) == {400}, statuses
    for answer in answers.values():
        message = answer.json()["error"]["message"]
        assert "holds a control character" in message
        assert answer["Access-Control-Allow-Origin"] == "*"
