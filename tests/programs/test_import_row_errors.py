"""Rows with an error in a file of figures (programs.importing): each reported by its row
and column with the reason (bad cells, a row with more or fewer cells than the header, a
qualifier that does not agree with the value), every one at once, and nothing saved.
"""

import pytest

from programs.models import latest_allowed_year
from tests.conftest import figures_snapshot, xlsx_file
from tests.programs.import_helpers import (
    GOOD_ROW,
    HEADER,
    PERCENT,
    RECEIVED,
    REPORTS,
    TRAFFICKING,
    csv_file,
    figure,
    import_file,
    json_file,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


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


# A qualifier that does not agree with the value, or that is not a qualifier


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
