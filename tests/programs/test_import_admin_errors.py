"""Errors in an import in the admin: a file that cannot be read shows why, a bad row is
shown on the page with nothing to confirm, nothing is saved; and a row error reads the same
on the command line and in the admin, as plain text in a table, the row number once.
"""

import io
from html.parser import HTMLParser

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from programs.models import Figure
from tests.conftest import figures_snapshot, xlsx_file
from tests.programs.import_helpers import (
    CSV,
    GOOD_ROW,
    HEADER,
    RECEIVED,
    REPORTS,
    XLSX,
    confirm,
    csv_file,
    shown_messages,
    upload,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixtures (tests/programs/import_helpers.py) this module's tests use.


# Bad files in the admin: the error on the page, no confirm button, nothing saved


def test_bad_row_is_shown_on_the_page_and_nothing_can_be_confirmed(importer):
    before = figures_snapshot()

    response = upload(importer, csv_file(GOOD_ROW, f"2023,Minesota,{REPORTS},5"))

    result = response.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [3]
    assert "confirm_form" not in response.context
    page = response.content.decode()
    assert escape("Row 3, column “state”: unknown state “Minesota”.") in page
    assert figures_snapshot() == before


def test_each_bad_row_of_a_file_is_listed(importer):
    response = upload(
        importer,
        csv_file(
            f"2023,MN,{REPORTS},12a", f"2023,MN,{RECEIVED},5", f"2023,US,{REPORTS},-5", GOOD_ROW
        ),
    )

    page = response.content.decode()
    for message in (
        "Row 2, column “value”: “12a” is not a number",
        f"Row 3, column “state”: “{RECEIVED}” is a national metric",
        "Row 4, column “value”: -5 is negative",
    ):
        assert escape(message) in page
    assert not Figure.objects.filter(state__code="WI").exists()


@pytest.mark.parametrize(
    ("data", "file_format", "message"),
    [
        pytest.param(b"", CSV, "The submitted file is empty.", id="empty"),
        pytest.param(
            csv_file(), CSV, "The file has a header but no rows of figures.", id="header"
        ),
        pytest.param(
            csv_file("2023,WI,x", header="year,state,metric"),
            CSV,
            "Missing required column(s): value.",
            id="missing-column",
        ),
        pytest.param(
            b"<html><body>Sign in</body></html>", CSV, "looks like a web page (HTML)", id="html"
        ),
        pytest.param(
            f"{HEADER}\n2023,Bogot\xe1,{REPORTS},5\n".encode("latin-1"),
            CSV,
            "The file is not UTF-8 text",
            id="latin-1",
        ),
        pytest.param(csv_file(GOOD_ROW), XLSX, "not a readable Excel workbook", id="csv-as-xlsx"),
        pytest.param(
            xlsx_file(["year", "state", "metric", "value"], [2023, "WI", REPORTS, 1]),
            CSV,
            "it contains binary data",
            id="xlsx-as-csv",
        ),
    ],
)
def test_a_file_that_cannot_be_read_shows_why_and_saves_nothing(
    importer, data, file_format, message
):
    before = figures_snapshot()

    response = upload(importer, data, "figures.csv", file_format)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert any(message in error for error in response.context["form"].errors["import_file"])
    assert escape(message) in response.content.decode()
    assert figures_snapshot() == before


def test_a_file_over_the_size_limit_is_refused_in_the_admin(importer, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 1_000_000
    before = figures_snapshot()
    data = csv_file(GOOD_ROW + ",", header=f"{HEADER},note") + b"x" * 1_000_000

    response = upload(importer, data)

    assert "the limit is 1 MB" in response.content.decode()
    assert "confirm_form" not in response.context
    assert figures_snapshot() == before


def test_confirm_after_the_preview_file_is_gone_says_so_and_saves_nothing(importer, settings):
    # The upload is held in the database between preview and confirm, for a few hours.
    preview = upload(importer, csv_file(GOOD_ROW))
    settings.FIGURE_IMPORT_HOLD_SECONDS = 0
    before = figures_snapshot()

    response = confirm(importer, preview)

    assert response.status_code == 200
    assert any("upload" in message.lower() for message in shown_messages(response))
    assert figures_snapshot() == before


# One reading, one check: a row error reads the same on the command line and in the admin


class Tables(HTMLParser):
    """The header cells of the tables in a page's <main> (not the admin's side menu), and
    the text of its list items."""

    def __init__(self):
        super().__init__()
        self.headers, self.items, self._open, self._in_main = [], [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main = True
        elif tag in ("th", "li") and self._in_main:
            self._open = (tag, dict(attrs).get("scope"), [])

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        elif self._open and tag == self._open[0]:
            text = " ".join("".join(self._open[2]).split())
            if tag == "th":
                self.headers.append((text, self._open[1]))
            else:
                self.items.append(text)
            self._open = None


def parsed(response):
    tables = Tables()
    tables.feed(response.content.decode())
    return tables


def command_errors(tmp_path, data):
    """What ``import_figures`` prints for a file: (its error lines, its summary)."""
    path = tmp_path / "figures.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines(), str(refused.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            csv_file(GOOD_ROW, "2023,MN,cvip-submissions-reviewed,8,611"),
            "Row 3: the row has 5 cells, but the header has 4 columns (year, state, metric, "
            "value). In a CSV file, a comma inside a cell starts a new cell unless the cell is "
            "in quotes: write 8,611 as “8,611” (in quotes) or 8611.",
            id="more-cells",
        ),
        pytest.param(
            csv_file(GOOD_ROW, "2023,MN,cvip-submissions-reviewed"),
            "Row 3: the row has 3 cells, but the header has 4 columns (year, state, metric, "
            "value). Give every column a cell, even an empty one (two commas in a row: ,,).",
            id="fewer-cells",
        ),
        pytest.param(
            csv_file(
                GOOD_ROW + ",",
                f'2023,US,{RECEIVED},36200,"36.2 million"',
                header=f"{HEADER},qualifier",
            ),
            "Row 3, column “qualifier”: “36.2 million” does not agree with the value 36200: "
            "readers would see “36,200”. For 36.2 million, write the value in full (36200000).",
            id="qualifier-disagrees",
        ),
    ],
)
def test_a_row_error_is_the_same_sentence_on_the_command_line_and_in_the_admin(
    importer, tmp_path, data, message
):
    before = figures_snapshot()

    response = upload(importer, data)
    lines, summary = command_errors(tmp_path, data)

    assert response.context["form"].errors == {}
    assert [row.number for row in response.context["result"].invalid_rows] == [3]
    assert "confirm_form" not in response.context
    assert message in parsed(response).items
    assert lines == [f"figures.csv: {message}"]
    assert summary == "1 error in figures.csv: nothing was saved."
    assert escape(summary) in response.content.decode()
    assert figures_snapshot() == before


def test_import_errors_are_plain_text_in_a_table_with_the_row_number_once(importer):
    response = upload(
        importer,
        csv_file(f"2023,Minesota,{REPORTS},12a", GOOD_ROW, f"2023,MN,{REPORTS},8,611"),
    )

    page = response.content.decode()
    tables = parsed(response)
    # Not in a tooltip shown on hover: every sentence is on the page, in a list item.
    assert "validation-error-container" not in page
    assert [item for item in tables.items if item.startswith("Row ")] == [
        "Row 2, column “state”: unknown state “Minesota”. Use a USPS code (MN) or a full name "
        "(Minnesota), or US for a national figure.",
        "Row 2, column “value”: “12a” is not a number (write 8611 or 8,611).",
        "Row 4: the row has 5 cells, but the header has 4 columns (year, state, metric, "
        "value). In a CSV file, a comma inside a cell starts a new cell unless the cell is in "
        "quotes: write 8,611 as “8,611” (in quotes) or 8611.",
    ]
    errors = [header for header in tables.headers if header[1] == "row"]
    assert errors == [("2", "row"), ("4", "row")]  # one row of the table per row of the file
    assert [text for text, scope in tables.headers if text == "Row"] == ["Row"]
    assert all(scope in ("col", "row") for _, scope in tables.headers)
    # A link at the top of the page leads a keyboard to the list, a heading it can focus.
    assert '<a href="#import-errors">Go to the list of errors</a>' in page
    assert '<h2 id="import-errors" tabindex="-1">Errors in figures.csv</h2>' in page
    assert not Figure.objects.filter(state__code="WI").exists()
