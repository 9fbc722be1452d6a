"""Importing a file of figures (programs.importing): reading it, checking every row, and
saving all of it or, on any error, nothing.

The admin and the ``import_figures`` command both go through ``read_table`` and
``figures_import``; their own tests are in test_import_admin.py and test_import_command.py.
"""

import codecs
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from import_export.formats import base_formats

from programs.figure_files import ImportFileError, read_table
from programs.importing import figures_import
from programs.models import Edition, Figure, Metric, latest_allowed_year
from programs.publishing import edition_publish
from programs.resources import FigureResource
from tests.conftest import figures_snapshot, make_metric, page_text, xlsx_file

SAMPLE = Path(settings.BASE_DIR) / "samples" / "ncmec-figures-2023.csv"
HEADER = "year,state,metric,value"
REPORTS = "cybertipline-reports-to-law-enforcement"  # a state count: Minnesota 8,611 in 2023
RECEIVED = "cybertipline-reports-received"  # a national count, "36.2 million" (rounded)
TRAFFICKING = "trafficking-reports-received"  # a national count, "more than 18,400"
PERCENT = "missing-runaways-likely-trafficking-percent"  # a national percent, 19%
# A valid row for a figure the demo does not have: saved if the import were not all or nothing.
GOOD_ROW = f"2023,WI,{REPORTS},1200"


def csv_file(*rows, header=HEADER, newline="\n"):
    return newline.join([header, *rows, ""]).encode()


def json_file(*records):
    return json.dumps(records).encode()


def import_file(data, file_name="figures.csv", *, dry_run=False, reason=""):
    """Read and import a file as the admin and the command do: the report, or the file error."""
    try:
        table = read_table(data, file_name=file_name)
    except ImportFileError as error:
        return error
    return figures_import(table=table, dry_run=dry_run, file_name=file_name, reason=reason)


def figure(key, state=None, year=2023):
    return Figure.objects.get(metric__key=key, year=year, state__code=state)


@pytest.fixture
def no_figures(demo_draft):
    """The demo's programs and metrics, no figure yet, and 2023 a draft edition: a year
    being prepared, whose figures an import writes at once."""
    Figure.objects.all().delete()


# Files that import


def test_sample_file_imports_into_an_empty_figures_table(no_figures):
    report = import_file(SAMPLE.read_bytes(), SAMPLE.name)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (21, 0, 0)
    assert Figure.objects.count() == 21
    assert figure(REPORTS, "MN").value == 8611
    assert figure(TRAFFICKING).qualifier == Figure.Qualifier.MORE_THAN
    assert figure(RECEIVED).qualifier == Figure.Qualifier.ROUNDED


def test_fact_sheet_shows_the_figures_of_the_imported_sample_once_published(client, no_figures):
    import_file(SAMPLE.read_bytes(), SAMPLE.name)
    assert client.get("/states/minnesota/2023/").status_code == 404  # a draft until then
    edition_publish(edition=Edition.objects.get(year=2023))

    response = client.get("/states/minnesota/2023/")

    text = page_text(response)
    assert response.status_code == 200
    for sentence in (
        "In 2023, 8,611 CyberTipline reports were made available to law enforcement in Minnesota.",
        "In 2023, the CyberTipline received 36.2 million reports",
        "In 2023, NCMEC received more than 18,400 reports relating to child sex trafficking.",
        "19% of these children were likely victims",
        "In 2023, NCMEC handled 201 cases of missing children from Minnesota.",
    ):
        assert sentence in text


def test_importing_the_same_file_twice_changes_nothing_the_second_time(no_figures):
    import_file(SAMPLE.read_bytes(), SAMPLE.name)
    before = figures_snapshot()

    report = import_file(SAMPLE.read_bytes(), SAMPLE.name)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 21)
    assert figures_snapshot() == before


def test_a_changed_value_updates_the_figure_and_reports_old_and_new(demo_draft):
    count = Figure.objects.count()

    report = import_file(csv_file(f"2023,MN,{REPORTS},9000"), reason="NCMEC corrected it")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    change = report.changes[0]
    assert (change.kind, change.old_value, change.value) == ("changed", "8,611", "9,000")
    assert figure(REPORTS, "MN").value == 9000
    assert Figure.objects.count() == count


def test_a_changed_note_updates_the_figure(demo_draft):
    report = import_file(
        csv_file(
            f"2023,MN,{REPORTS},8611,,,Revised in May", header=f"{HEADER},qualifier,source,note"
        ),
        reason="A note from NCMEC",
    )

    assert report.updated == 1
    assert figure(REPORTS, "MN").note == "Revised in May"


def test_dry_run_reports_the_changes_and_saves_nothing(demo):
    before = figures_snapshot()

    report = import_file(
        csv_file(GOOD_ROW, f"2023,MN,{REPORTS},9000"), dry_run=True, reason="Corrected"
    )

    assert (report.created, report.updated) == (1, 1)
    assert "would be saved" in report.summary()
    assert figures_snapshot() == before


def test_csv_with_a_bom_and_crlf_line_ends_imports(no_figures):
    data = codecs.BOM_UTF8 + csv_file(f"2023,MN,{REPORTS},8611", newline="\r\n")

    report = import_file(data)

    assert report.errors == []
    assert figure(REPORTS, "MN").value == 8611


def test_headers_in_another_case_and_order_import(no_figures):
    report = import_file(
        csv_file(f"Revised,8611,{REPORTS},mn,2023", header="NOTE,Value,METRIC,State,Year")
    )

    assert report.errors == []
    saved = figure(REPORTS, "MN")
    assert (saved.value, saved.note) == (8611, "Revised")


def test_value_with_thousands_separators_is_read_as_a_number(no_figures):
    import_file(csv_file(f'2023,MN,{REPORTS},"8,611"', f'2023,US,{RECEIVED},"36,200,000"'))

    assert figure(REPORTS, "MN").value == 8611
    assert figure(RECEIVED).value == 36_200_000


def test_qualifier_more_than_is_saved_and_shown_as_more_than(no_figures):
    report = import_file(
        csv_file(f"2023,US,{TRAFFICKING},18400,more than", header=f"{HEADER},qualifier")
    )

    saved = figure(TRAFFICKING)
    assert saved.qualifier == Figure.Qualifier.MORE_THAN
    assert saved.display_value == "more than 18,400"
    assert report.changes[0].value == "more than 18,400"


@pytest.mark.parametrize("text", ["MN", "mn", "Minnesota", "MINNESOTA", " minnesota "])
def test_state_is_a_usps_code_or_a_full_name_in_any_case(no_figures, text):
    report = import_file(csv_file(f"2023,{text},{REPORTS},8611"))

    assert report.errors == []
    assert figure(REPORTS, "MN").value == 8611


@pytest.mark.parametrize("text", ["US", "us", "", "USA", "United States"])
def test_us_or_an_empty_state_is_a_national_figure(no_figures, text):
    report = import_file(csv_file(f"2023,{text},{RECEIVED},36200000"))

    assert report.errors == []
    assert figure(RECEIVED).state is None


def test_xlsx_file_with_numeric_cells_imports(no_figures):
    data = xlsx_file(
        ["Year", "State", "Metric", "Value", "Qualifier"],
        [2023, "MN", REPORTS, 8611, None],
        [2023, "US", PERCENT, 19.5, None],
        [2023, "US", TRAFFICKING, 18400, "more than"],
    )

    report = import_file(data, "figures.xlsx")

    assert report.errors == []
    assert report.created == 3
    assert figure(REPORTS, "MN").value == 8611
    assert figure(PERCENT).value == Decimal("19.5")
    assert figure(TRAFFICKING).qualifier == Figure.Qualifier.MORE_THAN


def test_json_file_with_numbers_and_strings_imports(no_figures):
    data = json_file(
        {"year": 2023, "state": "MN", "metric": REPORTS, "value": 8611},
        {
            "year": "2023",
            "state": None,
            "metric": RECEIVED,
            "value": "36,200,000",
            "qualifier": "rounded",
        },
    )

    report = import_file(data, "figures.json")

    assert report.errors == []
    assert figure(REPORTS, "MN").value == 8611
    assert figure(RECEIVED).display_value == "36.2 million"


def test_text_from_a_file_is_stored_verbatim(no_figures):
    note = "<script>alert(1)</script> & “quotes”, Bogotá"
    data = json_file({"year": 2023, "state": "MN", "metric": REPORTS, "value": 1, "note": note})

    import_file(data, "figures.json")

    assert figure(REPORTS, "MN").note == note


def test_file_without_optional_columns_keeps_saved_qualifier_source_and_note(demo_draft):
    # Leaving a column out is not writing blanks into it: the file says nothing about it.
    saved = figure(TRAFFICKING)
    saved.note = "Rounded down by NCMEC."
    saved.save()

    report = import_file(csv_file(f"2023,US,{TRAFFICKING},18400"))

    saved.refresh_from_db()
    assert (saved.qualifier, saved.source, saved.note) == (
        Figure.Qualifier.MORE_THAN,
        "NCMEC, Minnesota Data fact sheet, 2023",
        "Rounded down by NCMEC.",
    )
    assert report.unchanged == 1


# Export, then import


TRICKY_NOTES = {
    RECEIVED: '=HYPERLINK("http://evil.example")',
    TRAFFICKING: "+1 revised",
    PERCENT: "-5 from last year",
    REPORTS: "@SUM(A1:A2)",
    "missing-cases-handled": "<script>alert(1)</script>\nSecond line, “quoted”, Bogotá",
}


def export(file_format):
    dataset = FigureResource().export(Figure.objects.all())
    data = file_format().export_data(dataset)
    return data.encode() if isinstance(data, str) else data


@pytest.mark.parametrize(
    ("file_format", "file_name"),
    [
        (base_formats.CSV, "figures.csv"),
        (base_formats.XLSX, "figures.xlsx"),
        (base_formats.JSON, "figures.json"),
    ],
)
def test_export_then_import_changes_nothing(demo, file_format, file_name):
    for key, note in TRICKY_NOTES.items():
        Figure.objects.filter(metric__key=key).update(note=note)
    before = figures_snapshot()

    report = import_file(export(file_format), file_name)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(before))
    assert figures_snapshot() == before


def test_export_guards_every_formula_start_with_an_apostrophe(demo):
    for key, note in TRICKY_NOTES.items():
        Figure.objects.filter(metric__key=key).update(note=note, source=note)

    rows = {row["metric"]: row for row in FigureResource().export(Figure.objects.all()).dict}

    for key in (RECEIVED, TRAFFICKING, PERCENT, REPORTS):
        assert rows[key]["note"] == "'" + TRICKY_NOTES[key]
        assert rows[key]["source"] == "'" + TRICKY_NOTES[key]
    assert rows["missing-cases-handled"]["note"] == TRICKY_NOTES["missing-cases-handled"]


def test_importing_an_export_restores_text_that_starts_with_an_apostrophe(demo):
    # "'=A1" is how a spreadsheet user writes the text =A1; it must survive the round trip.
    Figure.objects.filter(metric__key=REPORTS).update(note="'=A1 is a cell")
    before = figures_snapshot()

    report = import_file(export(base_formats.CSV))

    assert report.updated == 0
    assert figures_snapshot() == before


# Rows with an error: the message names the row, the column and the reason; nothing is saved.

LATEST = latest_allowed_year()

BAD_ROWS = [
    ("unknown-state", f"2023,Minesota,{REPORTS},5", "state", "unknown state “Minesota”"),
    (
        "unknown-metric",
        "2023,MN,cybertip-reports,5",
        "metric",
        "unknown metric “cybertip-reports”",
    ),
    ("missing-metric", "2023,MN,,5", "metric", "the metric is missing"),
    ("not-a-number", f"2023,MN,{REPORTS},12a", "value", "“12a” is not a number"),
    ("missing-value", f"2023,MN,{REPORTS},", "value", "the value is missing"),
    ("negative-count", f"2023,MN,{REPORTS},-5", "value", "-5 is negative"),
    ("fractional-count", f"2023,MN,{REPORTS},8611.5", "value", "a count must be a whole number"),
    ("percent-over-100", f"2023,US,{PERCENT},101", "value", "a percent cannot be more than 100"),
    ("year-before-ncmec", f"1983,MN,{REPORTS},5", "year", "1983 is out of range"),
    ("year-after-next", f"{LATEST + 1},MN,{REPORTS},5", "year", f"{LATEST + 1} is out of range"),
    ("year-not-a-year", f"twenty,MN,{REPORTS},5", "year", "“twenty” is not a year"),
    ("year-with-decimals", f"2023.7,MN,{REPORTS},5", "year", "“2023.7” is not a year"),
    ("year-zero-padded", f"02023,MN,{REPORTS},5", "year", "“02023” is not a year"),
    ("year-full-width", f"２０２３,MN,{REPORTS},5", "year", "“２０２３” is not a year"),
    ("missing-year", f",MN,{REPORTS},5", "year", "the year is missing"),
    ("state-for-national-metric", f"2023,MN,{RECEIVED},5", "state", "is a national metric"),
    ("national-for-state-metric", f"2023,US,{REPORTS},5", "state", "is a state metric"),
    ("empty-state-for-state-metric", f"2023,,{REPORTS},5", "state", "is a state metric"),
]


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_saved(
    demo, bad_row, column, reason
):
    before = figures_snapshot()

    report = import_file(csv_file(GOOD_ROW, bad_row))

    assert [(error.row, error.column) for error in report.errors] == [(3, column)]
    assert reason in str(report.errors[0])
    assert str(report.errors[0]).startswith(f"Row 3, column “{column}”: ")
    assert "nothing was saved" in report.summary()
    assert report.changes == []
    assert figures_snapshot() == before


def test_an_unknown_qualifier_is_reported_and_nothing_is_saved(demo):
    before = figures_snapshot()

    report = import_file(
        csv_file(
            GOOD_ROW + ",", f"2023,US,{TRAFFICKING},18400,about", header=f"{HEADER},qualifier"
        )
    )

    assert [(error.row, error.column) for error in report.errors] == [(3, "qualifier")]
    assert "“about” is not a qualifier" in str(report.errors[0])
    assert figures_snapshot() == before


def test_an_unquoted_thousands_separator_under_a_qualifier_column_says_what_happened(demo):
    """With a qualifier column the row has as many cells as the header, so the split
    shows as a qualifier of three digits: the message names the likely cause."""
    before = figures_snapshot()

    report = import_file(
        csv_file("2023,MN,cvip-submissions-reviewed,8,611", header=f"{HEADER},qualifier")
    )

    assert str(report.errors[0]).endswith(
        "If the value is 8,611, the comma split it into two cells: write it in quotes "
        "(“8,611”) or without the comma."
    )
    assert figures_snapshot() == before


def test_a_source_over_300_characters_is_reported_and_nothing_is_saved(demo):
    before = figures_snapshot()

    report = import_file(
        csv_file(GOOD_ROW + ",", f"2023,MN,{REPORTS},1,{'x' * 301}", header=f"{HEADER},source")
    )

    assert [(error.row, error.column) for error in report.errors] == [(3, "source")]
    assert "301 characters; the limit is 300" in str(report.errors[0])
    assert figures_snapshot() == before


def test_the_same_figure_twice_in_one_file_names_both_rows_and_saves_nothing(demo):
    before = figures_snapshot()

    report = import_file(csv_file(GOOD_ROW, f"2023,MN,{REPORTS},1", f"2023,minnesota,{REPORTS},2"))

    assert [(error.row, error.column) for error in report.errors] == [(4, "metric")]
    assert f"the same figure ({REPORTS}, 2023, Minnesota) is also in row 3" in str(
        report.errors[0]
    )
    assert figures_snapshot() == before


def test_every_bad_row_of_a_file_is_reported_at_once(demo):
    report = import_file(
        csv_file(f"2023,Minesota,{REPORTS},5", GOOD_ROW, f"2023,MN,{REPORTS},12a")
    )

    assert [(error.row, error.column) for error in report.errors] == [(2, "state"), (4, "value")]


def test_a_year_in_other_digits_is_an_error_not_a_crash(demo):
    before = figures_snapshot()

    report = import_file(csv_file(GOOD_ROW, f"2023²,MN,{REPORTS},5"))

    assert [(error.row, error.column) for error in report.errors] == [(3, "year")]
    assert figures_snapshot() == before


def test_a_value_with_more_than_two_decimals_is_reported_and_nothing_is_saved(demo):
    # The column keeps two decimals: 19.555 would be saved as 19.56 and never match again.
    before = figures_snapshot()

    report = import_file(csv_file(GOOD_ROW, f"2023,US,{PERCENT},19.555"))

    assert [(error.row, error.column) for error in report.errors] == [(3, "value")]
    assert figures_snapshot() == before


def test_a_value_too_large_for_the_database_is_reported_and_nothing_is_saved(demo):
    # The column holds 15 digits, 2 of them decimals.
    before = figures_snapshot()

    report = import_file(csv_file(GOOD_ROW, f"2023,MN,{REPORTS},1234567890123456"))

    assert [(error.row, error.column) for error in report.errors] == [(3, "value")]
    assert figures_snapshot() == before


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(demo):
    report = import_file(csv_file(GOOD_ROW, "", f"2023,Minesota,{REPORTS},5"))

    assert [(error.row, error.column) for error in report.errors] == [(4, "state")]


def test_xlsx_errors_name_the_sheet_row(demo):
    before = figures_snapshot()
    data = xlsx_file(
        ["year", "state", "metric", "value"],
        [2023, "WI", REPORTS, 1200],
        [2023, "MN", REPORTS, "12a"],
    )

    report = import_file(data, "figures.xlsx")

    assert [(error.row, error.column) for error in report.errors] == [(3, "value")]
    assert figures_snapshot() == before


def test_json_errors_name_the_object_by_its_position(demo):
    before = figures_snapshot()
    data = json_file(
        {"year": 2023, "state": "WI", "metric": REPORTS, "value": 1200},
        {"year": 2023, "state": "Minesota", "metric": REPORTS, "value": 5},
    )

    report = import_file(data, "figures.json")

    assert [(error.row, error.column) for error in report.errors] == [(2, "state")]
    assert figures_snapshot() == before


# Files that cannot be read as a table: one sentence saying why, and nothing saved.

UTF8 = "The file is not UTF-8 text"
NOT_XLSX = "The file is not a readable Excel workbook"
HEADER_ONLY = "The file has a header but no rows of figures."
BAD_FILES = [
    pytest.param(
        csv_file(f"2023,WI,{REPORTS}", header="year,state,metric"),
        "figures.csv",
        "Missing required column(s): value.",
        id="missing-column",
    ),
    pytest.param(
        csv_file(GOOD_ROW + ",1", header=f"{HEADER},amount"),
        "figures.csv",
        "Unknown column(s): amount.",
        id="unknown-column",
    ),
    pytest.param(
        csv_file(GOOD_ROW + ",1", header=f"{HEADER},value"),
        "figures.csv",
        "The column(s) value appear more than once.",
        id="repeated-column",
    ),
    pytest.param(b"", "figures.csv", "The file is empty.", id="empty"),
    pytest.param(b"\r\n \n", "figures.csv", "The file is empty.", id="blank-lines-only"),
    pytest.param(csv_file(), "figures.csv", HEADER_ONLY, id="header-only"),
    pytest.param(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "figures.csv",
        "The file is not a text table (it contains binary data).",
        id="binary",
    ),
    pytest.param(
        b"<!DOCTYPE html>\n<html><body><table><tr><td>2023</td></tr></table></body></html>",
        "figures.csv",
        "The file looks like a web page (HTML), not a table.",
        id="html",
    ),
    pytest.param(
        f"{HEADER}\n2023,Bogot\xe1,{REPORTS},5\n".encode("latin-1"),
        "figures.csv",
        f"{UTF8} (byte 35 cannot be read).",
        id="latin-1",
    ),
    pytest.param(
        f"{HEADER},note\n{GOOD_ROW},“revised”\n".encode("cp1252"),
        "figures.csv",
        UTF8,
        id="cp1252",
    ),
    pytest.param(b'[{"year": 2023,', "figures.json", "The file is not valid JSON", id="bad-json"),
    pytest.param(
        b'{"year": 2023}',
        "figures.json",
        "A JSON file must be a list of objects",
        id="json-object",
    ),
    pytest.param(
        b"[]", "figures.json", "The file has no figures: the list is empty.", id="json-[]"
    ),
    pytest.param(csv_file(GOOD_ROW), "figures.xlsx", NOT_XLSX, id="csv-named-xlsx"),
    pytest.param(
        xlsx_file(["year", "state", "metric", "value"]),
        "figures.xlsx",
        HEADER_ONLY,
        id="xlsx-header-only",
    ),
    pytest.param(
        xlsx_file(), "figures.xlsx", "The first sheet has no header row.", id="xlsx-empty"
    ),
]


@pytest.mark.parametrize(("data", "file_name", "message"), BAD_FILES)
def test_a_file_that_is_not_a_table_of_figures_is_refused_and_nothing_is_saved(
    demo, data, file_name, message
):
    before = figures_snapshot()

    error = import_file(data, file_name)

    assert isinstance(error, ImportFileError)
    assert message in str(error)
    assert figures_snapshot() == before


def test_a_utf16_file_is_refused_as_the_wrong_encoding(demo):
    # Excel's "Unicode Text" is UTF-16: the message must say to save it as UTF-8.
    before = figures_snapshot()

    error = import_file(csv_file(GOOD_ROW).decode().encode("utf-16"))

    assert isinstance(error, ImportFileError)
    assert "UTF-8" in str(error)
    assert figures_snapshot() == before


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(demo, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 2_000_000
    before = figures_snapshot()
    data = csv_file(GOOD_ROW, header=f"{HEADER},note").rstrip() + b",\n" + b"x" * 2_000_000

    error = import_file(data)

    assert isinstance(error, ImportFileError)
    assert "; the limit is 2 MB (2,000,000 bytes)." in str(error)
    assert figures_snapshot() == before


def test_a_file_at_the_size_limit_imports(no_figures, settings):
    data = csv_file(f"2023,MN,{REPORTS},8611")
    settings.FIGURE_IMPORT_MAX_BYTES = len(data)

    report = import_file(data)

    assert report.created == 1


def test_size_limit_message_gives_a_small_limit_truthfully(demo, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 1000

    error = import_file(csv_file(*[GOOD_ROW] * 100))

    assert "the limit is 0 MB" not in str(error)


def test_a_state_named_in_the_file_is_matched_against_the_states_table(no_figures):
    # Territories and the District are places too.
    report = import_file(
        csv_file(f"2023,District of Columbia,{REPORTS},3", f"2023,pr,{REPORTS},4")
    )

    assert report.errors == []
    assert set(Figure.objects.values_list("state__code", flat=True)) == {"DC", "PR"}


# A row with more or fewer cells than the header: one error for the row, saying why.

FOUR_COLUMNS = "the header has 4 columns (year, state, metric, value)"


def test_a_thousands_separator_without_quotes_is_a_row_error_not_a_smaller_value(demo):
    # 8,611 without quotes is two cells, 8 and 611: read as 8, it would be a wrong figure.
    before = figures_snapshot()

    report = import_file(csv_file(GOOD_ROW, f"2023,MN,{REPORTS},8,611"))

    assert [str(error) for error in report.errors] == [
        f"Row 3: the row has 5 cells, but {FOUR_COLUMNS}. In a CSV file, a comma inside a "
        "cell starts a new cell unless the cell is in quotes: write 8,611 as “8,611” (in "
        "quotes) or 8611."
    ]
    assert report.summary() == "1 error in figures.csv: nothing was saved."
    assert figures_snapshot() == before


def test_a_row_with_fewer_cells_than_the_header_is_a_row_error_and_keeps_the_saved_text(
    demo_draft,
):
    # Read as blanks, the missing cells would wipe the figure's saved qualifier and source.
    before = figures_snapshot()

    report = import_file(
        csv_file(f"2023,US,{TRAFFICKING},18400", header=f"{HEADER},qualifier,source,note")
    )

    assert [str(error) for error in report.errors] == [
        "Row 2: the row has 4 cells, but the header has 7 columns (year, state, metric, "
        "value, qualifier, source, note). Give every column a cell, even an empty one (two "
        "commas in a row: ,,)."
    ]
    assert figures_snapshot() == before
    assert figure(TRAFFICKING).display_value == "more than 18,400"


def test_an_xlsx_row_with_a_cell_past_the_last_column_is_a_row_error(demo):
    before = figures_snapshot()
    data = xlsx_file(
        ["year", "state", "metric", "value"],
        [2023, "WI", REPORTS, 1200],
        [2023, "MN", REPORTS, 8, 611],
    )

    report = import_file(data, "figures.xlsx")

    assert [(error.row, error.column) for error in report.errors] == [(3, "")]
    assert str(report.errors[0]).startswith(f"Row 3: the row has 5 cells, but {FOUR_COLUMNS}.")
    assert figures_snapshot() == before


def test_empty_cells_past_the_header_are_padding_not_an_error(no_figures):
    # Spreadsheets pad rows with empty cells (a trailing comma in CSV): nothing is lost.
    report = import_file(csv_file(f"2023,MN,{REPORTS},8611,,", f"2023,US,{RECEIVED},36200000"))

    assert report.errors == []
    assert figure(REPORTS, "MN").value == 8611


# The qualifier as NCMEC's documents write the figure


@pytest.mark.parametrize(
    ("metric", "value", "text", "qualifier", "shown"),
    [
        (TRAFFICKING, "18400", "more than 18,400", "more_than", "more than 18,400"),
        (TRAFFICKING, "18,400", "More than 18400", "more_than", "more than 18,400"),
        (RECEIVED, "36200000", "36.2 million", "rounded", "36.2 million"),
        # Rounded: any value readers see as "36.2 million" agrees with it.
        (RECEIVED, "36153000", "36.2 million", "rounded", "36.2 million"),
        (RECEIVED, "1200000", "more than 1.2 million", "more_than", "more than 1.2 million"),
        (RECEIVED, "1200000", "more than 1,200,000", "more_than", "more than 1.2 million"),
        (PERCENT, "19", "more than 19%", "more_than", "more than 19%"),
    ],
)
def test_a_qualifier_written_as_ncmec_writes_the_figure_is_read_as_its_qualifier(
    no_figures, metric, value, text, qualifier, shown
):
    report = import_file(
        csv_file(f'2023,US,{metric},"{value}","{text}"', header=f"{HEADER},qualifier")
    )

    assert report.errors == []
    saved = figure(metric)
    assert (saved.qualifier, saved.display_value) == (qualifier, shown)


@pytest.mark.parametrize(
    ("metric", "value", "text", "why"),
    [
        (
            TRAFFICKING,
            "18500",
            "more than 18,400",
            "the number after “more than” is the value itself (18400).",
        ),
        (
            RECEIVED,
            "36200",
            "36.2 million",
            "readers would see “36,200”. For 36.2 million, write the value in full (36200000).",
        ),
        (
            RECEIVED,
            "36260000",
            "36.2 million",
            "readers would see “36.3 million”. For 36.2 million, write the value in full "
            "(36200000).",
        ),
        (
            RECEIVED,
            "36250000",
            "36.25 million",
            "readers would see “36.3 million”. For 36.25 million, write the value in full "
            "(36250000).",
        ),
    ],
)
def test_a_qualifier_that_disagrees_with_the_value_is_a_row_error(demo, metric, value, text, why):
    before = figures_snapshot()

    report = import_file(
        csv_file(
            GOOD_ROW + ",", f'2023,US,{metric},{value},"{text}"', header=f"{HEADER},qualifier"
        )
    )

    assert [str(error) for error in report.errors] == [
        f"Row 3, column “qualifier”: “{text}” does not agree with the value {value}: {why}"
    ]
    assert figures_snapshot() == before


def test_a_bare_number_is_not_a_qualifier(demo):
    report = import_file(
        csv_file(f"2023,US,{TRAFFICKING},18400,18400", header=f"{HEADER},qualifier")
    )

    assert [str(error) for error in report.errors] == [
        "Row 2, column “qualifier”: “18400” is not a qualifier: leave it blank, or write "
        "“more than” or “rounded”, or the figure as NCMEC writes it (“more than 18,400”, "
        "“36.2 million”)."
    ]


# The summary reads as a sentence


def test_the_summary_names_one_new_edition_in_the_singular(db):
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    data = csv_file(f"2022,US,{metric.key},5")

    dry_run = import_file(data, dry_run=True).summary()
    saved = import_file(data).summary()

    assert dry_run.endswith(
        "(1 figure would be saved). The 2022 edition would be created as a draft."
    )
    assert saved.endswith("(1 figure was saved). The 2022 edition was created as a draft.")
    assert Edition.objects.get(year=2022).status == Edition.Status.DRAFT


def test_the_summary_names_several_new_editions_in_one_plural_sentence(db):
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    data = csv_file(f"2021,US,{metric.key},5", f"2022,US,{metric.key},6")

    assert import_file(data, dry_run=True).summary() == (
        "2 created, 0 updated, 0 unchanged, 0 errors (2 figures would be saved). "
        "The 2021 and 2022 editions would be created as drafts."
    )
    assert import_file(data).summary() == (
        "2 created, 0 updated, 0 unchanged, 0 errors (2 figures were saved). "
        "The 2021 and 2022 editions were created as drafts."
    )
    assert set(Edition.objects.values_list("year", "status")) == {
        (2021, Edition.Status.DRAFT),
        (2022, Edition.Status.DRAFT),
    }
