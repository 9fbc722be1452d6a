"""How an import reads a file's cells (programs.importing): CSV with a BOM and CRLF line
ends, Excel and JSON files, headers in any case and order, values with thousands
separators, states by code or name, qualifiers as NCMEC's documents write the figure,
text stored verbatim, and empty cells past the header as padding.
"""

import codecs
from decimal import Decimal

import pytest

from programs.models import Figure
from tests.conftest import xlsx_file
from tests.programs.import_helpers import (
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


# The shared fixtures (tests/programs/import_helpers.py) this module's tests use.


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


def test_a_state_named_in_the_file_is_matched_against_the_states_table(no_figures):
    # Territories and the District are places too.
    report = import_file(
        csv_file(f"2023,District of Columbia,{REPORTS},3", f"2023,pr,{REPORTS},4")
    )

    assert report.errors == []
    assert set(Figure.objects.values_list("state__code", flat=True)) == {"DC", "PR"}


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
        # A table writes every digit of a count; a sentence writes "more than 1.2 million".
        (RECEIVED, "1200000", "more than 1.2 million", "more_than", "more than 1,200,000"),
        (RECEIVED, "1200000", "more than 1,200,000", "more_than", "more than 1,200,000"),
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
