"""No draft figure reaches an anonymous reader, on any page the site leads to.

On the site of tests/draft_helpers.py (the demo's published 2023 edition, a published 2022
figure so that pages offer a year selector, a 2024 draft edition, an unpublished program,
and corrections staged for the published 2023 edition), an anonymous reader walks every
same-site link and every year selector from the home page and the sitemap, and never
sees a draft or staged value, a draft year or the unpublished program; nor does a fact
sheet PDF, even for staff in preview. The staff preview does show the drafts, so the walk
proves something. tests/test_editor_walk.py walks the site with ``crawl`` too.
"""

import html
import io
import json
import re
from collections import deque
from urllib.parse import urlencode, urlsplit

import pytest
from pypdf import PdfReader

from states.models import State
from tests.conftest import forget_caches
from tests.draft_helpers import (
    DRAFT_YEAR,
    HIDDEN_PROGRAM,
    HIDDEN_SLUG,
    XLSX,
    readable,
    secrets_in,
)

# The shared fixture (tests/draft_helpers.py) this module's tests use.

MAX_PAGES = 2000
SKIPPED = ("/admin/", "/static/")
# The crawl notes the fact sheet PDFs it finds without opening them (112 PDFs would take
# half a minute); test_no_fact_sheet_pdf_shows_a_draft opens those of the places with
# drafts, staged corrections and the unpublished program's figures.
PDF_LINK = re.compile(r"^/states/[a-z-]+/\d{4}/fact-sheet\.pdf(\?paper=a4)?$")
PDFS = [
    "/states/minnesota/2023/fact-sheet.pdf",
    "/states/wyoming/2023/fact-sheet.pdf",
    "/states/wisconsin/2023/fact-sheet.pdf",
    "/states/guam/2023/fact-sheet.pdf",
    "/states/minnesota/2022/fact-sheet.pdf",
]

# A chart's or a map's PNG is its SVG drawn (programs/reader/png.py), and every page that
# offers one offers that SVG beside it, which the crawl reads: it leaves the PNGs out (a
# render each would take seconds); tests/programs/test_picture_files.py opens some.
PNG_LINK = re.compile(r"^/metrics/[a-z0-9-]+/(chart|map)\.png(\?.*)?$")

HREF = re.compile(r'\b(?:href|action)="([^"]*)"')
GET_FORM = re.compile(r'<form\b[^>]*\bmethod="get"[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', re.S)
SELECT = re.compile(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option\b[^>]*\bvalue="([^"]*)"')
LOC = re.compile(r"<loc>([^<]+)</loc>")


def same_site_path(url):
    """The path and query of a link on this site, without its fragment; None if off-site."""
    url = html.unescape(url).split("#", 1)[0]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            return None
    elif not url.startswith("/"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if path.startswith(SKIPPED) else path


def links(content):
    """Every same-site address a page leads to: links, sitemap entries, year selectors."""
    found = [*HREF.findall(content), *LOC.findall(content)]
    for action, body in GET_FORM.findall(content):
        for name, options in SELECT.findall(body):
            found += [
                f"{html.unescape(action)}?{urlencode({name: html.unescape(value)})}"
                for value in OPTION.findall(options)
            ]
    return [path for path in map(same_site_path, found) if path]


DOWNLOADS = ("text/csv", "application/json", XLSX)


def is_download(response):
    return response.get("Content-Type", "").startswith(DOWNLOADS)


# The API's addresses a JSON response leads to: the objects' own and their figures'
# (``url``, ``api_url``, ``figures_url``) and a list's next page.
JSON_LINKS = ("url", "api_url", "figures_url", "next")


def json_links(body):
    """Every same-site address an API response links to, in its objects and lists."""
    found = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in JSON_LINKS and isinstance(value, str):
                found.append(value)
            else:
                found += json_links(value)
    elif isinstance(body, list):
        for value in body:
            found += json_links(value)
    return found


def followed(url, response):
    """The same-site addresses a response leads to: an API response's JSON links, a
    page's links; a download leads nowhere."""
    if url.startswith("/api/") and response["Content-Type"].startswith("application/json"):
        found = json_links(json.loads(response.crawled_text))
        return [path for path in map(same_site_path, found) if path]
    if is_download(response):
        return []
    return links(response.crawled_text)


def crawl(client, start=("/", "/sitemap.xml", "/api/"), pdfs=None):
    """{address: response} for every page and download reachable from the start,
    redirects followed; each response's text is in ``crawled_text``. The fact sheet PDFs
    found are added to ``pdfs`` (a set), not opened. Every page as the site renders it
    now: a change that slipped past the publication version would hide behind the page
    cache."""
    forget_caches()
    seen, queue, pages = set(start), deque(start), {}
    while queue:
        url = queue.popleft()
        if PDF_LINK.match(url):
            if pdfs is not None:
                pdfs.add(url)
            continue
        if PNG_LINK.match(url):
            continue
        response = client.get(url)
        response.crawled_text = readable(response)
        pages[url] = response
        assert len(pages) <= MAX_PAGES, "The crawl found more pages than expected."
        if response.status_code in (301, 302):
            targets = [response["Location"]]
        elif response.status_code == 200:
            targets = followed(url, response)
        else:
            continue
        for target in targets:
            path = same_site_path(target)
            assert path is not None, f"{url} redirects off the site to {target}"
            if path not in seen:
                seen.add(path)
                queue.append(path)
    return pages


def test_an_anonymous_reader_never_sees_a_draft_anywhere_on_the_site(site_with_drafts, anonymous):
    pdfs = set()
    pages = crawl(anonymous, pdfs=pdfs)

    failures = [url for url, r in pages.items() if r.status_code not in (200, 301, 302)]
    assert not failures, f"Pages that are not 200 or a redirect: {failures}"
    shown = {url: r for url, r in pages.items() if r.status_code == 200}
    leaks = {url: secrets_in(r.crawled_text) for url, r in shown.items()}
    assert not {url: found for url, found in leaks.items() if found}
    assert not [url for url, r in shown.items() if HIDDEN_SLUG in r.crawled_text]
    assert not [url for url, r in shown.items() if str(DRAFT_YEAR) in r.crawled_text]
    assert not [url for url in pages if str(DRAFT_YEAR) in url]
    # The walk did reach every kind of page, the year selectors and the sitemap included.
    assert {"/", "/programs/", "/states/", "/sitemap.xml"} <= set(shown)
    assert "/programs/cybertipline/2023/" in shown
    assert "/programs/cybertipline/2022/" in shown
    assert "/states/guam/2022/" in shown
    assert "/states/minnesota/?year=2022" in pages
    assert {"/revisions/", "/revisions/feed/"} <= set(shown)
    # The maps' forms (the home map's offers the years with state figures: 2022 has a
    # national figure only), and the compare page from a fact sheet and through its form.
    assert "/?year=2022" not in pages
    assert "/?metric=connect-new-professionals" in shown
    assert "/compare/?states=MN&year=2023" in shown
    assert {"/compare/?states=WY", "/compare/?states=GU", "/compare/?year=2022"} <= set(shown)
    # The metric pages: every year of a national and of a state metric.
    assert "/metrics/cybertipline-reports-received/" in shown
    assert "/metrics/cybertipline-reports-to-law-enforcement/" in shown
    assert {"/search/", "/search/?q=Minnesota"} <= set(shown)
    # A chart's and a map's files (the PNGs left out: PNG_LINK) and embeds.
    received, to_police = (
        "cybertipline-reports-received",
        "cybertipline-reports-to-law-enforcement",
    )
    assert {
        f"/metrics/{received}/chart.svg",
        f"/metrics/{received}/chart.csv",
        f"/embed/metrics/{received}/chart/",
        f"/metrics/{to_police}/map.svg?year=2023&measure=count",  # no population: no rate
        f"/embed/metrics/{to_police}/map/?year=2023&measure=count",
    } <= set(shown)
    assert pages["/states/?state=GU"].status_code == 302
    assert any(re.fullmatch(r"/revisions/\d+/", url) for url in shown)
    assert len(shown) > State.objects.count() * 2
    # The API: its page's examples, every object, their figures, and the next pages.
    assert {"/api/", "/api/v1/openapi.json", "/api/v1/programs/", "/api/v1/metrics/"} <= set(shown)
    assert {"/api/v1/states/MN/", "/api/v1/programs/cybertipline/"} <= set(shown)
    assert "/api/v1/figures/?state=MN" in shown
    assert "/api/v1/figures/?year=2023&state=MN&page_size=5&page=2" in shown
    assert "/api/v1/metrics/cybertipline-reports-to-law-enforcement/" in shown
    assert not [url for url in shown if url.startswith("/api/v1/") and HIDDEN_SLUG in url]
    # The downloads: the data page's files, and each page's own filtered figures.
    downloads = {url for url, r in shown.items() if is_download(r)}
    assert {
        "/data/figures.csv",
        "/data/figures.json",
        "/data/figures.xlsx",
        "/data/metrics.csv",
        "/data/states.csv",
        "/data/figures.csv?state=MN&year=2023",
        "/data/figures.xlsx?state=WY&year=2023",
        "/data/figures.json?program=cybertipline&year=2022",
        "/data/figures.csv?metric=cybertipline-reports-to-law-enforcement",
    } <= downloads
    assert "876543" not in shown["/data/figures.csv"].crawled_text  # read to the end
    assert "8611" in shown["/data/figures.xlsx?state=MN&year=2023"].crawled_text
    # Every fact sheet links to its PDF; the PDFs are read below.
    assert set(PDFS) <= pdfs
    assert not [url for url in pdfs if str(DRAFT_YEAR) in url]


@pytest.mark.parametrize("staff", [False, True], ids=["anonymous", "staff-preview"])
def test_no_fact_sheet_pdf_shows_a_draft(site_with_drafts, anonymous, admin_client, staff):
    """The PDFs are published figures only, even for staff in preview (who would
    otherwise leave drafts in the PDF cache for everyone)."""
    client = admin_client if staff else anonymous
    if staff:
        client.post("/preview/start/")
        assert "187,654" in client.get("/states/minnesota/2023/").content.decode()

    for url in PDFS:
        response = client.get(url)
        assert response.status_code == 200, url
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert not secrets_in(text), url
        assert HIDDEN_PROGRAM not in text
        assert str(DRAFT_YEAR) not in text


def test_the_draft_values_are_on_the_staff_preview(site_with_drafts, admin_client):
    """The crawl above would prove nothing if the drafts were not really there."""
    admin_client.post("/preview/start/")

    state = admin_client.get(f"/states/minnesota/{DRAFT_YEAR}/").content.decode()
    program = admin_client.get(f"/programs/{HIDDEN_SLUG}/2023/").content.decode()

    assert "987,654" in state
    assert "876,543" in state
    assert "432,198" in state
    assert HIDDEN_PROGRAM in program
    assert "219,876" in program
    metric = admin_client.get("/metrics/cybertipline-reports-to-law-enforcement/")
    assert "876,543" in metric.content.decode()
    staged = admin_client.get("/states/minnesota/2023/").content.decode()
    assert "187,654" in staged
    assert "176,543" in admin_client.get("/states/wyoming/2023/").content.decode()
    # The map and the compare page preview the same drafts and staged changes.
    reports = {"metric": "cybertipline-reports-to-law-enforcement"}
    assert "176,543" in admin_client.get("/", {**reports, "year": 2023}).content.decode()
    assert "876,543" in admin_client.get("/", {**reports, "year": DRAFT_YEAR}).content.decode()
    compare = admin_client.get("/compare/", {"states": "MN,WY", "year": "2023"})
    assert "187,654" in compare.content.decode()
    assert "176,543" in compare.content.decode()
