"""No draft figure reaches an anonymous reader.

With the demo's published 2023 edition, a published 2022 figure (so that pages offer a
year selector), a 2024 draft edition (half imported from a file, half entered one by
one), an unpublished program, and corrections staged for the published 2023 edition (a
changed value, a new figure, a changed source), an anonymous reader walks every
same-site link and every year selector from the home page and the sitemap, and never
sees a draft or staged value, a draft year or the unpublished program.
"""

import html
import io
import json
import re
from collections import deque
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ncmec_site.preview import PREVIEW_COOKIE
from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.figure_files import read_table
from programs.importing import figures_import
from programs.models import Edition, Figure, Metric
from programs.publishing import edition_publish
from programs.reader.citation import last_published
from programs.reader.published import year_publications
from states.models import State
from tests.conftest import forget_caches, make_figure, make_metric, make_program

DRAFT_YEAR = 2024
# Values no published figure has: each is looked for as "987,654" and as "987654".
IMPORTED = {
    ("US", "cybertipline-reports-received"): 987_654,
    ("MN", "cybertipline-reports-to-law-enforcement"): 876_543,
    ("WI", "cybertipline-reports-to-law-enforcement"): 765_432,
    ("GU", "missing-cases-handled"): 654_321,
}
ENTERED = {
    (None, "team-adam-incidents"): 543_219,
    ("MN", "connect-new-professionals"): 432_198,
    ("TX", "trafficking-agency-engagements"): 321_987,
}
# Corrections to the published 2023 edition, staged and not yet published: a changed
# value, a new figure, and a changed source; and one published correction before them.
STAGED = {
    ("MN", "cybertipline-reports-to-law-enforcement"): 187_654,
    ("WY", "cybertipline-reports-to-law-enforcement"): 176_543,
}
STAGED_SOURCE = "A staged source nobody may read yet"
# An unpublished program's figures, in the published 2023 edition.
HIDDEN_PROGRAM = "Pilot Outreach Program"
HIDDEN_SLUG = "pilot-outreach-program"
HIDDEN = {"national": 219_876, "state": 198_765}
SECRET_VALUES = [*IMPORTED.values(), *ENTERED.values(), *HIDDEN.values(), *STAGED.values()]
SECRET_TEXTS = [
    *(text for value in SECRET_VALUES for text in (f"{value:,}", str(value))),
    HIDDEN_PROGRAM,
    STAGED_SOURCE,
]

MAX_PAGES = 2000
SKIPPED = ("/admin/", "/static/")
# The crawl notes the fact sheet PDFs it finds without opening them (112 PDFs would take
# half a minute); test_no_fact_sheet_pdf_shows_a_draft opens those of the places with
# drafts, staged corrections and the unpublished program's figures.
PDF_LINK = re.compile(r"^/states/[a-z-]+/\d{4}/fact-sheet\.pdf$")
PDFS = [
    "/states/minnesota/2023/fact-sheet.pdf",
    "/states/wyoming/2023/fact-sheet.pdf",
    "/states/wisconsin/2023/fact-sheet.pdf",
    "/states/guam/2023/fact-sheet.pdf",
    "/states/minnesota/2022/fact-sheet.pdf",
]
PROBES = [
    f"/states/minnesota/{DRAFT_YEAR}/fact-sheet.pdf",
    f"/states/wisconsin/{DRAFT_YEAR}/fact-sheet.pdf",
    f"/states/minnesota/{DRAFT_YEAR}/",
    f"/states/wisconsin/{DRAFT_YEAR}/",
    f"/states/minnesota/?year={DRAFT_YEAR}",
    f"/states/?state=MN&year={DRAFT_YEAR}",
    f"/states/WI/{DRAFT_YEAR}/",
    f"/programs/cybertipline/{DRAFT_YEAR}/",
    f"/programs/cybertipline/?year={DRAFT_YEAR}",
    f"/programs/{HIDDEN_SLUG}/",
    f"/programs/{HIDDEN_SLUG}/2023/",
    f"/?year={DRAFT_YEAR}",
    f"/?metric=cybertipline-reports-to-law-enforcement&year={DRAFT_YEAR}",
    f"/compare/?states=MN,WI&year={DRAFT_YEAR}",
    f"/programs/cybertipline/{DRAFT_YEAR}/?metric=cybertipline-reports-to-law-enforcement",
    f"/metrics/{HIDDEN_SLUG}-national/",
    f"/metrics/{HIDDEN_SLUG}-state/",
    f"/metrics/cybertipline-reports-to-law-enforcement/?year={DRAFT_YEAR}",
    f"/metrics/cybertipline-reports-received/?year={DRAFT_YEAR}",
]

HREF = re.compile(r'\b(?:href|action)="([^"]*)"')
GET_FORM = re.compile(r'<form\b[^>]*\bmethod="get"[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', re.S)
SELECT = re.compile(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option\b[^>]*\bvalue="([^"]*)"')
LOC = re.compile(r"<loc>([^<]+)</loc>")


def draft_csv():
    lines = ["year,state,metric,value"]
    lines += [f"{DRAFT_YEAR},{code},{key},{value}" for (code, key), value in IMPORTED.items()]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def site_with_drafts(demo):
    """The demo, a published 2022 figure, a 2024 draft edition and an unpublished program."""
    make_figure(
        Metric.objects.get(key="cybertipline-reports-received"),
        year=2022,
        value=32_000_000,
        qualifier=Figure.Qualifier.ROUNDED,
    )
    published = {str(value) for value in Figure.objects.values_list("value", flat=True)}
    assert not published & {f"{value}.00" for value in SECRET_VALUES}

    # The real import path creates the draft edition.
    report = figures_import(
        table=read_table(draft_csv(), file_name="draft-2024.csv"), file_name="draft-2024.csv"
    )
    assert report.ok, report.errors
    assert report.new_editions == [DRAFT_YEAR]
    for (code, key), value in ENTERED.items():
        make_figure(
            Metric.objects.get(key=key),
            year=DRAFT_YEAR,
            state=State.objects.get(code=code) if code else None,
            value=value,
        )
    assert not Edition.objects.get(year=DRAFT_YEAR).is_published
    assert Figure.objects.filter(year=DRAFT_YEAR).count() == len(IMPORTED) + len(ENTERED)

    hidden = make_program(name=HIDDEN_PROGRAM, slug=HIDDEN_SLUG, is_published=False)
    hidden_national = make_metric(
        hidden, key=f"{HIDDEN_SLUG}-national", scope=Metric.Scope.NATIONAL
    )
    make_figure(hidden_national, year=2023, value=HIDDEN["national"])
    make_figure(make_metric(hidden, key=f"{HIDDEN_SLUG}-state"), year=2023, value=HIDDEN["state"])

    # A published correction (so the revision pages are crawled), then staged ones.
    cvip = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
    proposal = Proposal(cvip.metric, 2023, cvip.state, cvip, value=Decimal(130), qualifier="")
    pending_changes_stage(proposals=[proposal], reason="Published correction")
    pending_changes_publish(year=2023)
    proposals = []
    for (code, key), value in STAGED.items():
        metric, state = Metric.objects.get(key=key), State.objects.get(code=code)
        figure = Figure.objects.filter(metric=metric, year=2023, state=state).first()
        proposals.append(Proposal(metric, 2023, state, figure, value=Decimal(value)))
    team_hope = Figure.objects.get(metric__key="team-hope-survivors-families", year=2023)
    proposals.append(
        Proposal(
            team_hope.metric,
            2023,
            team_hope.state,
            team_hope,
            value=team_hope.value,
            qualifier=team_hope.qualifier,
            source=STAGED_SOURCE,
        )  # fmt: skip
    )
    pending_changes_stage(proposals=proposals, reason="Staged, not published")


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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = ("text/csv", "application/json", XLSX)


def readable(response):
    """What a reader gets to read: a page's or a download's text (a streamed file read to
    its end; an Excel workbook opened, every cell of every sheet)."""
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


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


def secrets_in(content):
    return [text for text in SECRET_TEXTS if text in content]


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
    # The maps' forms, and the compare page from a fact sheet and through its own form.
    assert "/?year=2022" in shown
    assert "/?metric=connect-new-professionals" in shown
    assert "/compare/?states=MN&year=2023" in shown
    assert {"/compare/?states=WY", "/compare/?states=GU", "/compare/?year=2022"} <= set(shown)
    # The metric pages: every year of a national and of a state metric.
    assert "/metrics/cybertipline-reports-received/" in shown
    assert "/metrics/cybertipline-reports-to-law-enforcement/" in shown
    assert {"/search/", "/search/?q=Minnesota"} <= set(shown)
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


API_PROBES = [
    f"/api/v1/figures/?year={DRAFT_YEAR}",
    f"/api/v1/figures/?program={HIDDEN_SLUG}",
    f"/api/v1/figures/?metric={HIDDEN_SLUG}-national",
    f"/api/v1/programs/{HIDDEN_SLUG}/",
    f"/api/v1/metrics/{HIDDEN_SLUG}-national/",
    f"/api/v1/metrics/{HIDDEN_SLUG}-state/",
]


@pytest.mark.parametrize("url", API_PROBES)
def test_the_api_refuses_a_draft_year_or_an_unpublished_program(site_with_drafts, anonymous, url):
    response = anonymous.get(url)

    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
    assert not secrets_in(response.content.decode())
    assert HIDDEN_PROGRAM not in response.content.decode()


def test_the_api_serves_the_published_figures_not_the_staged_ones(site_with_drafts, admin_client):
    """Even to staff in preview: the API is the published figures only."""
    admin_client.post("/preview/start/")

    response = admin_client.get("/api/v1/figures/", {"state": "MN,WY", "page_size": 1000})

    values = {f["value"] for f in json.loads(response.content)["results"]}
    assert 8611 in values
    assert not values & set(SECRET_VALUES)


@pytest.mark.parametrize("url", PROBES)
def test_asking_for_a_draft_year_or_an_unpublished_program_is_not_found(
    site_with_drafts, anonymous, url
):
    response = anonymous.get(url, follow=True)

    # The page's canonical link repeats the address asked for, so only values are looked for.
    assert response.status_code == 404
    assert not secrets_in(response.content.decode())
    assert "Preview" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        f"year={DRAFT_YEAR}",
        f"year=2023,{DRAFT_YEAR}&state=MN",
        f"program={HIDDEN_SLUG}",
        f"metric={HIDDEN_SLUG}-state",
    ],
)
@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_asking_a_download_for_a_draft_year_or_an_unpublished_program_is_refused(
    site_with_drafts, anonymous, query, extension
):
    response = anonymous.get(f"/data/figures.{extension}?{query}")

    assert response.status_code == 400
    assert not secrets_in(response.content.decode())


def test_the_metrics_file_never_lists_an_unpublished_programs_metric(site_with_drafts, anonymous):
    text = readable(anonymous.get("/data/metrics.csv"))

    assert HIDDEN_SLUG not in text
    assert "cybertipline-reports-to-law-enforcement" in text


def test_the_maps_never_offer_an_unpublished_programs_metric(site_with_drafts, anonymous):
    hidden = Metric.objects.get(program__slug=HIDDEN_SLUG, scope=Metric.Scope.STATE)

    home = anonymous.get("/", {"metric": hidden.key})
    compare = anonymous.get("/compare/", {"states": "MN", "year": "2023"}).content.decode()

    assert home.status_code == 404
    assert not secrets_in(home.content.decode())
    assert f'value="{hidden.key}"' not in anonymous.get("/").content.decode()
    assert hidden.label not in compare
    assert not secrets_in(compare)


def test_the_data_package_dates_and_versions_only_what_is_published(site_with_drafts, anonymous):
    def last_publication():
        return last_published(year_publications()).isoformat(timespec="seconds")

    before = anonymous.get("/data/datapackage.json").json()
    assert before["created"] == last_publication()
    assert str(DRAFT_YEAR) not in json.dumps(before)
    assert not secrets_in(json.dumps(before, ensure_ascii=False))

    # More drafts and staged corrections change nothing a reader sees...
    make_figure(Metric.objects.get(key="missing-cases-handled"), year=DRAFT_YEAR, value=7)
    wyoming = State.objects.get(code="WY")
    metric = Metric.objects.get(key="connect-new-professionals")
    pending_changes_stage(
        proposals=[Proposal(metric, 2023, wyoming, None, value=Decimal(3))], reason="Later"
    )
    assert anonymous.get("/data/datapackage.json").json() == before

    # ...until they are published.
    pending_changes_publish(year=2023)
    after = anonymous.get("/data/datapackage.json").json()
    assert int(after["version"]) > int(before["version"])
    assert after["created"] == last_publication()


@pytest.mark.parametrize("q", ["pilot outreach", "Pilot", HIDDEN_SLUG, "Metric", "Summary of"])
def test_search_never_shows_an_unpublished_program_or_its_metrics(site_with_drafts, anonymous, q):
    response = anonymous.get("/search/", {"q": q})

    content = response.content.decode()
    assert response.status_code == 200
    assert HIDDEN_PROGRAM not in content
    assert f"/programs/{HIDDEN_SLUG}/" not in content
    assert not secrets_in(content)


def test_search_in_the_staff_preview_finds_the_unpublished_program(site_with_drafts, admin_client):
    """The search test above would prove nothing if the search could not find it."""
    admin_client.post("/preview/start/")

    by_name = admin_client.get("/search/", {"q": "pilot outreach"}).content.decode()
    metrics = admin_client.get("/search/", {"q": "Metric"}).content.decode()

    assert f'<a href="/programs/{HIDDEN_SLUG}/">{HIDDEN_PROGRAM}</a>' in by_name
    assert f'href="/metrics/{HIDDEN_SLUG}-' in metrics


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


def test_preview_start_sends_an_anonymous_reader_to_the_login_page(site_with_drafts, anonymous):
    response = anonymous.post("/preview/start/", {"next": f"/states/minnesota/{DRAFT_YEAR}/"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert anonymous.get(f"/states/minnesota/{DRAFT_YEAR}/").status_code == 404
    assert not secrets_in(anonymous.get("/states/minnesota/").content.decode())


def test_a_logged_in_reader_who_is_not_staff_gets_no_preview(
    site_with_drafts, client, django_user_model
):
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)

    response = client.post("/preview/start/", {"next": f"/states/minnesota/{DRAFT_YEAR}/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # Even a session that says "preview" shows nothing to someone who is not staff.
    session = client.session
    session["preview_drafts"] = True
    session.save()
    client.cookies[PREVIEW_COOKIE] = "1"  # the marker /preview/start/ would have set

    assert client.get(f"/states/minnesota/{DRAFT_YEAR}/").status_code == 404
    page = client.get("/states/minnesota/").content.decode()
    assert not secrets_in(page)
    assert "Preview: not published" not in page


def test_the_home_page_shows_the_latest_published_year_until_the_draft_is_published(
    site_with_drafts, anonymous
):
    before = anonymous.get("/")

    assert before.context["year"] == 2023
    assert "National figures, 2023" in before.content.decode()
    assert "987,654" not in before.content.decode()

    edition_publish(edition=Edition.objects.get(year=DRAFT_YEAR))
    after = anonymous.get("/")

    assert after.context["year"] == DRAFT_YEAR
    assert f"National figures, {DRAFT_YEAR}" in after.content.decode()
    assert "987,654" in after.content.decode()
    assert anonymous.get(f"/states/minnesota/{DRAFT_YEAR}/").status_code == 200
