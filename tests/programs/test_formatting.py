"""How figures are written: the same "8,611", "36.2 million" and "19%" everywhere."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from programs import formatting
from programs.formatting import format_figure


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        pytest.param(8611, formatting.COUNT, formatting.EXACT, "8,611", id="thousands-separator"),
        pytest.param(
            36_200_000, formatting.COUNT, formatting.ROUNDED, "36.2 million", id="rounded-millions"
        ),
        pytest.param(
            105_000_000,
            formatting.COUNT,
            formatting.MORE_THAN,
            "more than 105,000,000",
            id="more-than-millions-in-full",
        ),
        pytest.param(
            18_400, formatting.COUNT, formatting.MORE_THAN, "more than 18,400", id="more-than"
        ),
        pytest.param(19, formatting.PERCENT, formatting.EXACT, "19%", id="percent"),
        pytest.param(
            1_234_567, formatting.COUNT, formatting.EXACT, "1,234,567", id="exact-not-millions"
        ),
    ],
)
def test_format_figure_writes_figures_as_the_fact_sheet_does(value, unit, qualifier, expected):
    assert format_figure(value, unit, qualifier) == expected


@pytest.mark.parametrize(
    ("value", "qualifier", "table", "sentence"),
    [
        (36_210_368, formatting.EXACT, "36,210,368", "36.2 million"),
        (105_000_000, formatting.MORE_THAN, "more than 105,000,000", "more than 105 million"),
        (36_200_000, formatting.ROUNDED, "36.2 million", "36.2 million"),
        (999_999, formatting.EXACT, "999,999", "999,999"),
        (18_400, formatting.MORE_THAN, "more than 18,400", "more than 18,400"),
    ],
)
def test_a_table_writes_a_count_in_full_and_a_sentence_in_millions(
    value, qualifier, table, sentence
):
    assert format_figure(value, formatting.COUNT, qualifier) == table
    assert formatting.format_for_sentence(value, formatting.COUNT, qualifier) == sentence


def test_format_figure_reads_decimals_from_the_database_as_whole_numbers():
    # Figures are stored as DecimalField(decimal_places=2): 8611.00 must not show its cents.
    assert format_figure(Decimal("8611.00")) == "8,611"
    assert format_figure(Decimal("19.00"), formatting.PERCENT) == "19%"


def test_format_figure_writes_nothing_for_a_missing_value():
    assert format_figure(None) == ""


# A value as data: programs.formatting.plain_number, and data_number for typed cells


@pytest.mark.parametrize(
    ("value", "text", "number"),
    [
        (Decimal("8611"), "8611", 8611),
        (Decimal("8611.00"), "8611", 8611),
        (Decimal("36200000"), "36200000", 36_200_000),
        (Decimal("100"), "100", 100),  # normalize() alone makes it 1E+2
        (Decimal("91.50"), "91.5", 91.5),
        (Decimal("0.05"), "0.05", 0.05),
        (Decimal("0.00"), "0", 0),
        (Decimal("9999999999999.99"), "9999999999999.99", 9999999999999.99),
    ],
)
def test_a_value_is_written_as_data_one_way(value, text, number):
    assert formatting.plain_number(value) == text
    assert formatting.data_number(value) == number
    assert type(formatting.data_number(value)) is type(number)
    assert repr(formatting.data_number(value)) == text  # a JSON number of the same digits


# Dates: the site's own (settings.TIME_ZONE, New York), one way for readers, ISO as data

LATE_EVENING_UTC = datetime(2026, 12, 7, 4, 30, tzinfo=UTC)  # 23:30 on the 6th in New York


def test_a_date_is_written_day_month_year_on_the_sites_own_day():
    assert formatting.format_date(LATE_EVENING_UTC) == "6 December 2026"
    assert formatting.format_date(date(2024, 3, 1)) == "1 March 2024"
    assert formatting.format_date(None) == ""


def test_a_moment_is_written_with_the_sites_time_and_zone():
    assert formatting.format_datetime(LATE_EVENING_UTC) == "6 December 2026, 11:30 pm EST"
    summer_noon = datetime(2026, 7, 1, 16, 5, tzinfo=UTC)
    assert formatting.format_datetime(summer_noon) == "1 July 2026, 12:05 pm EDT"


def test_a_date_as_data_is_iso_8601_of_the_sites_own_day():
    assert formatting.data_date(LATE_EVENING_UTC) == "2026-12-06"
    assert formatting.data_date(None) == ""
    assert formatting.data_datetime(LATE_EVENING_UTC) == "2026-12-06T23:30:00-05:00"
