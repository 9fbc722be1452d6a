"""Checking the rows of a figure file: each cell parsed, each row held to the model's
rules (:meth:`Figure.rule_errors`) without a query per row, each problem a sentence
naming the row and the column. The import (programs/importing.py) saves what passes.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from states.models import State
from states.naming import StateIndex, names_the_nation

from . import formatting
from .figure_files import Table, row_is_filled, unguard
from .models import FIRST_YEAR, Figure, Metric, latest_allowed_year
from .years import YearError, parse_year

QUALIFIERS = {
    "": formatting.EXACT,
    "exact": formatting.EXACT,
    "more_than": formatting.MORE_THAN,
    "more than": formatting.MORE_THAN,
    "rounded": formatting.ROUNDED,
}
# A number, with or without thousands separators: 8611, 8,611, 36200000, 19.5
NUMBER_TEXT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMBER = re.compile(rf"^{NUMBER_TEXT}$", re.ASCII)
# A qualifier as NCMEC's documents write the figure: "more than 18,400", "36.2 million",
# "more than 1.2 million", "more than 19%".
QUALIFIED_FIGURE = re.compile(
    rf"^(?P<more_than>more than )?(?P<number>{NUMBER_TEXT})(?P<suffix> million|%)?$", re.ASCII
)
MAX_SOURCE = Figure._meta.get_field("source").max_length


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        if not self.column:  # the row as a whole, such as one with a cell too many
            return f"Row {self.row}: {self.message}"
        return f"Row {self.row}, column “{self.column}”: {self.message}"


@dataclass(slots=True)
class CheckedRow:
    """A row that passed every check; qualifier, source and note are None when the file
    has no such column (the saved text is kept)."""

    row: int
    metric: Metric
    year: int
    state: State | None
    value: Decimal
    qualifier: str | None
    source: str | None
    note: str | None


_UNKNOWN = object()
VALUE_DIGITS = Figure._meta.get_field("value").max_digits
VALUE_PLACES = Figure._meta.get_field("value").decimal_places


def _qualifier(text):
    """(qualifier, figure): the qualifier a cell names, and the figure it writes if it
    writes one ("more than 18,400"), else None; (_UNKNOWN, None) for anything else."""
    words = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    if words in QUALIFIERS:
        return QUALIFIERS[words], None
    figure = QUALIFIED_FIGURE.match(words)
    if figure is None:
        return _UNKNOWN, None
    if figure["more_than"]:
        return formatting.MORE_THAN, figure
    if figure["suffix"] == " million":
        return formatting.ROUNDED, figure
    return _UNKNOWN, None  # a bare number ("18,400") qualifies nothing


def _disagreement(figure, value: Decimal, unit):
    """Why a qualifier written as a figure does not agree with the row's value, or None.

    "More than N" agrees with the value N itself ("more than 18,400": 18400), however the
    site then writes it (a value of a million or more reads "more than 1,200,000" in a
    table, "more than 1.2 million" in a sentence).
    "X million" is a rounded figure, and agrees with every value a sentence writes as
    "X million" (at one decimal of millions, half up): "36.2 million" agrees with
    36200000, and with the unrounded 36,153,000 too, since readers see "36.2 million"
    either way; it does not agree with 36.2 (readers would see "36.2") nor with
    36,260,000 ("36.3 million"). "36.25 million" agrees with no value: the site shows
    millions to one decimal.
    """
    number = Decimal(figure["number"].replace(",", ""))
    if figure["suffix"] == " million":
        qualifier = formatting.MORE_THAN if figure["more_than"] else formatting.ROUNDED
        shown = formatting.format_for_sentence(value, unit, qualifier)
        if shown.removeprefix("more than ") == f"{formatting.format_figure(number)} million":
            return None
        in_full = formatting.format_figure((number * formatting.MILLION).normalize())
        return (
            f"readers would see “{shown}”. For {formatting.format_figure(number)} million, "
            f"write the value in full ({in_full.replace(',', '')})."
        )
    if number == value:
        return None
    return (
        f"the number after “more than” is the value itself "
        f"({formatting.format_figure(number).replace(',', '')})."
    )


def _size(value: Decimal):
    """(digits before the point, digits after it) of a non-negative decimal."""
    sign, digits, exponent = value.as_tuple()
    places = max(0, -exponent)
    return max(0, len(digits) - places), places


def check_rows(table: Table, metrics, states):
    """Parse and check every row: (rows, errors). No query.

    ``metrics`` maps lower-case keys to metrics; ``states`` is a states.naming.StateIndex
    (a state by its USPS code, name or slug; a blank, "US" or "national" is the nation).
    """
    index = {name: i for i, name in enumerate(table.columns) if name}
    # Blank header cells after the last name are a spreadsheet's padding, not columns.
    width = max(index.values()) + 1
    latest = latest_allowed_year()
    rows, errors, seen = [], [], {}
    for number, raw in enumerate(table.rows, table.first_row):
        if not row_is_filled(raw):
            continue  # a blank line still counts, so row numbers match the spreadsheet
        width_error = _width_error(raw, width, table.columns)
        if width_error:
            # Its cells are not under their columns: checking them would only mislead.
            errors.append(RowError(number, "", width_error))
            continue
        cells = {name: raw[i].strip() for name, i in index.items()}
        row_errors = []

        def error(column, message, row_errors=row_errors, number=number):
            row_errors.append(RowError(number, column, message))

        year_text = cells.get("year", "")
        year = None
        if not year_text:
            error("year", "the year is missing.")
        else:
            try:
                year = parse_year(year_text)
            except YearError as wrong:
                error("year", f"“{year_text}” is not a year. {wrong}")
            else:
                if not FIRST_YEAR <= year <= latest:
                    error(
                        "year",
                        f"{year} is out of range: years run from {FIRST_YEAR} to {latest}.",
                    )
                    year = None

        state_text = cells.get("state", "")
        state, state_ok = None, True
        if state_text and not names_the_nation(state_text):
            state = states.find(state_text)
            if state is None:
                state_ok = False
                error(
                    "state",
                    f"unknown state “{state_text}”. Use a USPS code (MN) or a full name "
                    "(Minnesota), or US for a national figure.",
                )

        metric_text = cells.get("metric", "")
        metric = metrics.get(metric_text.lower())
        if metric is None:
            error(
                "metric",
                f"unknown metric “{metric_text}”." if metric_text else "the metric is missing.",
            )

        value_text = cells.get("value", "")
        value = None
        if not value_text:
            error("value", "the value is missing.")
        elif value_text.startswith("-") and NUMBER.match(value_text[1:]):
            error("value", f"{value_text} is negative; figures cannot be below 0.")
        elif not NUMBER.match(value_text):
            error("value", f"“{value_text}” is not a number (write 8611 or 8,611).")
        else:
            value = Decimal(value_text.replace(",", ""))
            digits, places = _size(value)
            if places > VALUE_PLACES:
                error("value", f"{value_text} has more than {VALUE_PLACES} decimal places.")
                value = None
            elif digits > VALUE_DIGITS - VALUE_PLACES:
                error("value", f"{value_text} is too large to be a figure.")
                value = None

        # A column the file leaves out keeps the saved text (None: not in the file).
        qualifier_text = cells.get("qualifier")
        if qualifier_text is None:
            qualifier = None
        else:
            qualifier, written = _qualifier(qualifier_text)
            if qualifier is _UNKNOWN:
                split = ""
                if len(qualifier_text) == 3 and qualifier_text.isdigit() and value_text:
                    # 8,611 unquoted in a CSV: the value reads 8 and "611" lands here.
                    split = (
                        f" If the value is {value_text},{qualifier_text}, the comma split it "
                        f"into two cells: write it in quotes (“{value_text},{qualifier_text}”) "
                        f"or without the comma."
                    )
                error(
                    "qualifier",
                    f"“{qualifier_text}” is not a qualifier: leave it blank, or write "
                    "“more than” or “rounded”, or the figure as NCMEC writes it "
                    f"(“more than 18,400”, “36.2 million”).{split}",
                )
            elif written is not None and value is not None and metric is not None:
                why = _disagreement(written, value, metric.unit)
                if why:
                    error(
                        "qualifier",
                        f"“{qualifier_text}” does not agree with the value {value_text}: {why}",
                    )

        source = cells.get("source")
        if source is not None:
            source = unguard(source)
            if len(source) > MAX_SOURCE:
                error(
                    "source",
                    f"the source is {len(source)} characters; the limit is {MAX_SOURCE}.",
                )
        note = cells.get("note")
        note = None if note is None else unguard(note)

        if metric is not None and state_ok:
            rule_errors = Figure.rule_errors(metric=metric, state=state, value=value, year=year)
            for column, messages in rule_errors.items():
                for message in messages:
                    error(column, message[0].lower() + message[1:])

        if not row_errors:
            key = (metric.pk, year, state.pk if state else None)
            if key in seen:
                error(
                    "metric",
                    f"the same figure ({metric.key}, {year}, "
                    f"{state.name if state else 'national'}) is also in row {seen[key]}.",
                )
            else:
                seen[key] = number

        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(CheckedRow(number, metric, year, state, value, qualifier, source, note))
    return rows, errors


def _width_error(raw, width, columns):
    """Why a row's cells do not line up with the header, or None.

    Empty cells past the header are let through: spreadsheets pad rows with them.
    """
    cells = len(raw)
    while cells > width and not raw[cells - 1].strip():
        cells -= 1
    if cells == width:
        return None
    names = ", ".join(name or "(no name)" for name in columns[:width])
    header = f"the header has {width} column{'' if width == 1 else 's'} ({names})"
    if cells > width:
        return (
            f"the row has {cells} cells, but {header}. In a CSV file, a comma inside a cell "
            "starts a new cell unless the cell is in quotes: write 8,611 as “8,611” (in "
            "quotes) or 8611."
        )
    return (
        f"the row has {cells} cell{'' if cells == 1 else 's'}, but {header}. Give every "
        "column a cell, even an empty one (two commas in a row: ,,)."
    )


def lookups():
    """The metrics and states rows name, keyed as check_rows() wants them: two queries."""
    metrics = {metric.key.lower(): metric for metric in Metric.objects.select_related("program")}
    return metrics, StateIndex(State.objects.all())
