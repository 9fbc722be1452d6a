"""The public downloads of /data/: every published figure as CSV, JSON and Excel, the
metrics and the states; filtered, refused by filter name, guarded against formulas."""

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from programs.demo import demo_data_load
from programs.models import Figure, Metric
from programs.reader.data_page import FIGURE_COLUMNS, METRIC_COLUMNS, STATE_COLUMNS
from programs.reader.download_files import METRIC_COLUMNS as METRIC_FILE_COLUMNS
from programs.reader.download_files import STATE_COLUMNS as STATE_FILE_COLUMNS
from programs.reader.downloads import COLUMNS
from programs.resources import FigureResource
from states.models import State
from tests.conftest import make_figure, make_metric, make_program, once_per_module

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "ncmec-figures-2023.csv"
FORMULA_NOTE = '=HYPERLINK("https://example.com","click")'
PILOT = "downloads-pilot"


@once_per_module
def site_with_formula_note():
    """The demo (2023), a 2022 Wisconsin figure whose note is a formula, and a figure of
    an unpublished program. Built once for the module's tests."""
    demo_data_load(seed_only=True)
    make_figure(
        Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
        year=2022,
        state=State.objects.get(code="WI"),
        value=4321,
        note=FORMULA_NOTE,
    )
    pilot = make_program(name="Downloads Pilot", slug=PILOT, is_published=False)
    make_figure(make_metric(pilot, key=f"{PILOT}-metric"), value=777_111)


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(content(response).decode("utf-8"))))


def xlsx_sheets(response):
    """{sheet title: rows}, each row as wide as the sheet (read-only mode leaves a row's
    trailing blank cells out, such as a figure's missing rate)."""
    book = load_workbook(io.BytesIO(content(response)), read_only=True)
    sheets = {}
    for sheet in book:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        width = max(map(len, rows), default=0)
        sheets[sheet.title] = [row + [None] * (width - len(row)) for row in rows]
    return sheets


def seed():
    """The sample file's figures: {(place, metric key): (value, qualifier, source)}."""
    with SAMPLE.open(newline="", encoding="utf-8") as file:
        return {
            (row["state"], row["metric"]): (row["value"], row["qualifier"], row["source"])
            for row in csv.DictReader(file)
        }


def as_seed(rows):
    return {
        (row["state_code"] or "US", row["metric_key"]): (
            str(row["value"]),
            row["qualifier"] or "",
            row["source"],
        )
        for row in rows
    }


MINNESOTA_2023 = "year=2023&state=MN"


def minnesota_2023_expected():
    """Minnesota's 2023 figures in the seed (the nation's are not Minnesota's)."""
    return {key: value for key, value in seed().items() if key[0] == "MN"}


def test_the_minnesota_2023_csv_holds_every_seed_value(site_with_formula_note, db, client):
    response = client.get(f"/data/figures.csv?{MINNESOTA_2023}")

    rows = csv_rows(response)
    assert response.status_code == 200
    assert list(rows[0]) == COLUMNS
    assert as_seed(rows) == minnesota_2023_expected()
    assert {row["state_name"] for row in rows} == {"Minnesota"}
    assert {row["year"] for row in rows} == {"2023"}


def test_every_2023_figure_is_the_sample_files(site_with_formula_note, db, client):
    rows = csv_rows(client.get("/data/figures.csv?year=2023"))

    assert as_seed(rows) == seed()  # the nation's and Minnesota's, nothing else
    assert len(rows) == len(seed())


def test_the_minnesota_2023_json_holds_every_seed_value_and_its_citation(
    site_with_formula_note, db, client
):
    response = client.get(f"/data/figures.json?{MINNESOTA_2023}")

    data = json.loads(content(response))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert data["columns"] == COLUMNS
    assert as_seed(data["figures"]) == minnesota_2023_expected()
    reports = next(f for f in data["figures"] if f["metric_key"].endswith("law-enforcement"))
    assert reports["value"] == 8611  # a number, not text
    assert data["citation"].startswith("National Center for Missing & Exploited Children, ")
    assert "http://testserver/data/figures.csv?year=2023&state=MN" in data["citation"]
    assert ", published " in data["citation"]


def test_the_minnesota_2023_workbook_holds_every_seed_value_typed(
    site_with_formula_note, db, client
):
    response = client.get(f"/data/figures.xlsx?{MINNESOTA_2023}")

    sheets = xlsx_sheets(response)
    assert response.status_code == 200
    header, *cells = sheets["Figures"]
    assert header == COLUMNS
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in cells]
    assert as_seed(rows) == minnesota_2023_expected()
    assert all(isinstance(row["year"], int) and isinstance(row["value"], int) for row in rows)
    about = dict(sheets["About"])
    assert about["Citation"].startswith("National Center for Missing & Exploited Children")
    assert about["Filters"] == "year 2023; state MN"
    assert about["Columns explained"] == "http://testserver/data/"
    assert response["Content-Disposition"] == 'attachment; filename="ncmec-figures-2023-MN.xlsx"'


def test_the_csv_is_sent_with_its_type_file_name_and_links(site_with_formula_note, db, client):
    response = client.get("/data/figures.csv?state=MN,WI&year=2022,2023")

    # Read whole in the page's snapshot and stored (a file larger than the page cache
    # keeps, PAGE_CACHE_MAX_BYTES, streams as it is read).
    assert int(response["Content-Length"]) == len(response.content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="ncmec-figures-2022_2023-MN_WI.csv"'
    )
    assert response["Link"] == (
        '<http://testserver/data/>; rel="describedby", '
        '<http://testserver/data/figures.csv?year=2022%2C2023&state=MN%2CWI>; rel="cite-as"'
    )
    assert {(r["year"], r["state_code"]) for r in csv_rows(response)} == {
        ("2022", "WI"),
        ("2023", "MN"),
    }


def test_the_whole_file_is_every_published_figure_and_nothing_else(
    site_with_formula_note, db, client
):
    rows = csv_rows(client.get("/data/figures.csv"))

    assert len(rows) == len(seed()) + 1  # and the 2022 Wisconsin figure
    assert not [row for row in rows if row["program"] == PILOT]
    assert "777111" not in {row["value"] for row in rows}
    assert client.get("/data/figures.csv")["Content-Disposition"].endswith('"ncmec-figures.csv"')


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("program=cybertipline,team-hope", {"cybertipline", "team-hope"}),
        ("program=cybertipline&program=team-hope", {"cybertipline", "team-hope"}),
        (
            "metric=missing-cases-handled,team-adam-incidents",
            {"missing-child-case-assistance", "team-adam"},
        ),
    ],
)
def test_a_filter_takes_several_values(site_with_formula_note, db, client, query, expected):
    rows = csv_rows(client.get(f"/data/figures.csv?{query}"))

    assert {row["program"] for row in rows} == expected


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("year=23", "year"),
        ("year=2023,twenty", "year"),
        ("state=Minnesota", "state"),
        ("year=2031", "year"),
        ("state=ZZ", "state"),
        ("program=no-such-program", "program"),
        (f"program={PILOT}", "program"),
        ("metric=no-such-metric", "metric"),
    ],
)
@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_a_bad_filter_is_a_400_naming_the_filter(
    site_with_formula_note, db, client, query, name, extension
):
    response = client.get(f"/data/figures.{extension}?{query}")

    assert response.status_code == 400
    if extension == "json":
        error = response.json()["error"]
        assert error["filter"] == name
        assert error["message"]
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().startswith(f"Bad filter “{name}”: ")


def test_a_note_written_as_a_formula_is_guarded_in_the_csv_and_the_workbook(
    site_with_formula_note, db, client
):
    csv_note = csv_rows(client.get("/data/figures.csv?year=2022"))[0]["note"]
    header, first = xlsx_sheets(client.get("/data/figures.xlsx?year=2022"))["Figures"]
    json_note = json.loads(content(client.get("/data/figures.json?year=2022")))["figures"][0]

    assert csv_note == "'" + FORMULA_NOTE
    assert first[COLUMNS.index("note")] == "'" + FORMULA_NOTE
    assert first[COLUMNS.index("value")] == 4321  # numbers are never guarded
    assert json_note["note"] == FORMULA_NOTE  # JSON is not a spreadsheet


def test_the_metrics_file_lists_the_public_metrics_with_their_definitions(
    site_with_formula_note, db, client
):
    response = client.get("/data/metrics.csv")

    rows = csv_rows(response)
    keys = {row["key"] for row in rows}
    assert list(rows[0]) == METRIC_FILE_COLUMNS
    assert keys == {key for _, key in seed()}
    assert f"{PILOT}-metric" not in keys
    reports = next(row for row in rows if row["key"] == "cybertipline-reports-to-law-enforcement")
    assert reports["program"] == "cybertipline"
    assert reports["scope"] == "state"
    assert reports["first_year"] == "2022"
    assert 'rel="cite-as"' in response["Link"]


def test_the_states_file_lists_every_jurisdiction_with_its_codes(
    site_with_formula_note, db, client
):
    rows = csv_rows(client.get("/data/states.csv"))

    assert list(rows[0]) == STATE_FILE_COLUMNS
    assert len(rows) == State.objects.count() == 56
    assert {
        "code": "MN",
        "fips": "27",
        "name": "Minnesota",
        "slug": "minnesota",
        "kind": "state",
    } in rows


def test_the_data_page_explains_every_column_the_licence_and_the_citation(
    site_with_formula_note, db, client
):
    page = client.get("/data/").content.decode()

    documented = [
        ([c.name for c in FIGURE_COLUMNS], COLUMNS),
        ([c.name for c in METRIC_COLUMNS], METRIC_FILE_COLUMNS),
        ([c.name for c in STATE_COLUMNS], STATE_FILE_COLUMNS),
    ]
    for names, columns in documented:
        assert names == columns
    for column in COLUMNS:
        assert f"<code>{column}</code>" in page
    assert 'id="licence"' in page
    assert "published for reuse with attribution" in page
    assert "National Center for Missing &amp; Exploited Children, Published figures" in page
    assert 'href="/data/figures.xlsx"' in page


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("/states/minnesota/2023/", "state=MN&amp;year=2023"),
        ("/programs/cybertipline/2023/", "program=cybertipline&amp;year=2023"),
        ("/metrics/missing-cases-handled/", "metric=missing-cases-handled"),
    ],
)
def test_each_page_links_its_own_figures_as_files(site_with_formula_note, db, client, page, query):
    html = client.get(page).content.decode()

    for extension in ("csv", "json", "xlsx"):
        assert f'href="/data/figures.{extension}?{query}"' in html


def test_the_header_links_the_data_page(site_with_formula_note, db, client):
    assert '<a href="/data/">Data</a>' in client.get("/").content.decode()


def test_every_output_writes_a_value_as_the_same_data(site_with_formula_note, db, client):
    """The CSV, JSON and XLSX downloads, the API and the admin's export all write a
    figure's value through programs.formatting: 91.5, never 91.50, 9.15E+1 or 91,5."""
    metric = make_metric(make_program(slug="value-check"), unit=Metric.Unit.PERCENT)
    make_figure(metric, value="91.50")
    query = {"metric": metric.key}

    csv_value = csv_rows(client.get("/data/figures.csv", query))[0]["value"]
    json_value = json.loads(content(client.get("/data/figures.json", query)))["figures"][0]
    sheet = load_workbook(io.BytesIO(content(client.get("/data/figures.xlsx", query))))
    xlsx_value = list(sheet["Figures"].values)[1][COLUMNS.index("value")]
    api_text = client.get("/api/v1/figures/", query).content.decode()
    exported = FigureResource().export(Figure.objects.filter(metric=metric)).dict[0]["value"]

    assert csv_value == exported == "91.5"
    assert json_value["value"] == xlsx_value == 91.5
    assert '"value": 91.5,' in api_text
