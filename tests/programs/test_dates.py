"""Every date is the site's own (New York's) and written one way: "6 December 2026" for
readers, "2026-12-06" as data. A correction published at 23:30 in New York is 04:30 the
next day in UTC: the pages, the downloads, the API, the feed and the citations all give
the day it was in New York."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.demo import demo_data_load
from programs.formatting import MONTHS, format_date
from programs.models import Edition, Figure, Revision
from programs.reader import catalog, pdf
from programs.reader.fact_sheet import fact_sheet_build, fact_sheet_years
from states.models import State
from tests.conftest import once_per_module, page_text
from tests.programs.revision_helpers import REPORTS

NEW_YORK = ZoneInfo("America/New_York")
LATE_EVENING = datetime(2026, 12, 6, 23, 30, tzinfo=NEW_YORK)  # 04:30 on the 7th in UTC
PUBLISHED = datetime(2024, 3, 1, 15, tzinfo=UTC)
FACT_SHEET = "/states/minnesota/2023/"
ATOM = "{http://www.w3.org/2005/Atom}"


@once_per_module
def late_correction():
    """The demo, 2023 published on 1 March 2024, and Minnesota's CyberTipline reports
    corrected (8,611 → 8,700) at 23:30 New York time on 6 December 2026."""
    demo_data_load(seed_only=True)
    Edition.objects.filter(year=2023).update(published_at=PUBLISHED)
    reports = Figure.objects.get(metric__key=REPORTS, year=2023, state__code="MN")
    proposal = Proposal(reports.metric, 2023, reports.state, reports, value=Decimal(8700))
    pending_changes_stage(proposals=[proposal], reason="Duplicates removed")
    pending_changes_publish(year=2023)
    Revision.objects.update(published_at=LATE_EVENING)


@pytest.fixture
def corrected(late_correction, db):
    """The module's data, for a test (in a savepoint of its own)."""


# The day of a correction published late in the evening in New York


def test_the_fact_sheet_gives_new_yorks_date_beside_the_figure_in_its_line_and_citation(
    corrected, client
):
    response = client.get(FACT_SHEET)
    text = page_text(response)

    assert "8,700 CyberTipline reports" in text
    assert "revised 6 December 2026: read the revision note" in text
    assert "last revised 6 December 2026." in text
    assert '<time datetime="2026-12-06">6 December 2026</time>' in response.content.decode()
    assert "published 6 December 2026, http://testserver/states/minnesota/2023/" in text


def _reports_row(rows):
    return next(row for row in rows if row["metric_key"] == REPORTS and row["state_code"] == "MN")


def test_the_csv_json_and_excel_downloads_give_new_yorks_date(corrected, client):
    query = f"?state=MN&metric={REPORTS}"
    csv_file = client.get("/data/figures.csv" + query).getvalue()
    json_file = client.get("/data/figures.json" + query).getvalue()
    book = load_workbook(io.BytesIO(client.get("/data/figures.xlsx" + query).content))
    header, *cells = book["Figures"].iter_rows(values_only=True)

    assert _reports_row(csv.DictReader(io.StringIO(csv_file.decode())))["revised"] == "2026-12-06"
    assert _reports_row(json.loads(json_file)["figures"])["revised"] == "2026-12-06"
    rows = [dict(zip(header, row, strict=True)) for row in cells]
    assert _reports_row(rows)["revised"] == "2026-12-06"


def test_the_api_gives_new_yorks_date(corrected, client):
    body = client.get(f"/api/v1/figures/?state=MN&metric={REPORTS}").json()

    assert body["results"][0]["revised"] == "2026-12-06"
    assert ", published 6 December 2026, " in body["citation"]


def test_the_feed_and_the_revision_note_give_new_yorks_date_and_time(corrected, client):
    entry = ET.fromstring(client.get("/revisions/feed/").content).find(f"{ATOM}entry")
    note = page_text(client.get(Revision.objects.get().get_absolute_url()))

    assert entry.find(f"{ATOM}title").text == "Revision to the 2023 figures, 6 December 2026"
    assert entry.find(f"{ATOM}updated").text == "2026-12-06T23:30:00-05:00"
    assert "Published 6 December 2026, 11:30 pm EST." in note


def test_the_data_package_is_created_on_new_yorks_date(corrected, client):
    package = client.get("/data/datapackage.json").json()

    assert package["created"] == "2026-12-06T23:30:00-05:00"
    assert "published 6 December 2026, " in package["citation"]


# One way to write a date for readers

MONTH = "|".join(MONTHS)
# A date written as the site writes none: "December 6, 2026", "Dec. 6", "2026-12-06".
OTHER_WAYS = re.compile(
    rf"\b(?:{MONTH}) \d{{1,2}}\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? "
    rf"\d|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
)
TIME = re.compile(r'<time[^>]*\bdatetime="([^"]+)"[^>]*>([^<]*)</time>')
PAGES = [
    "/",
    FACT_SHEET,
    "/programs/cybertipline/2023/",
    f"/metrics/{REPORTS}/",
    "/compare/?states=MN,WI&year=2023",
    "/revisions/",
    "revision",
]


def assert_dates_written_one_way(html):
    """Every date a reader reads is "6 December 2026", and each <time> says as data the
    date it says in words."""
    text = page_text(html)
    assert not OTHER_WAYS.findall(text)
    times = TIME.findall(html)
    for machine, words in times:  # a date, or a moment whose date leads its words
        written = format_date(datetime.fromisoformat(machine).date())
        assert words == written or words.startswith(f"{written}, "), (machine, words)
    return text, times


@pytest.mark.parametrize("url", PAGES)
def test_every_date_on_the_main_pages_is_written_one_way(corrected, client, url):
    if url == "revision":
        url = Revision.objects.get().get_absolute_url()

    text, times = assert_dates_written_one_way(client.get(url).content.decode())

    assert "6 December 2026" in text
    if url != "/revisions/":
        assert times


def test_the_pdf_writes_the_day_it_was_made_as_the_pages_do(corrected):
    minnesota = State.objects.get(code="MN")
    years, state_years = fact_sheet_years(minnesota, False)
    sheet = fact_sheet_build(
        minnesota,
        2023,
        preview=False,
        years=years,
        state_years=state_years,
        states=catalog.states(),
    )

    html = pdf.fact_sheet_html(sheet, "http://testserver/", made=LATE_EVENING.astimezone(UTC))
    text, _ = assert_dates_written_one_way(html)

    # In its citation, which ends the PDF: the day it was made is the day it was retrieved.
    assert "http://testserver/states/minnesota/2023/, retrieved 6 December 2026." in text
