"""The files of /data/: published figures as CSV, JSON and XLSX, metrics and states as CSV.

Each writer takes rows already fetched (an iterator of figures with the populations
their rates are of, a list of metrics or states) and yields the file, so the view
streams it: memory stays flat whatever the number of rows. Text cells of the CSV and
XLSX files go through ``guard_formula`` (a spreadsheet must never run a cell as a
formula); numbers are written as numbers.
"""

import csv
import io
import json

from ncmec_site.spreadsheets import guard_formula

from .downloads import COLUMNS, row, typed_row

# Columns that are numbers: never guarded (a negative value stays a number).
NUMBER_COLUMNS = {"year", "value", "rate_per_100k"}
METRIC_COLUMNS = [
    "key",
    "program",
    "label",
    "scope",
    "unit",
    "period",
    "first_year",
    "last_year",
    "definition",
    "notes",
]
STATE_COLUMNS = ["code", "fips", "name", "slug", "kind"]
NOTE_SEPARATOR = " | "


class Echo:
    """A file that hands back what is written to it: csv.writer then yields lines."""

    def write(self, value):
        return value


def _guarded(values, numbers=()):
    return [
        value if name in numbers else guard_formula("" if value is None else str(value))
        for name, value in values.items()
    ]


def figures_csv(figures, populations):
    """The header, then a line per figure (an iterator of Figure, as reader.downloads
    fetches them; ``populations`` as ``downloads.populations`` reads them)."""
    writer = csv.writer(Echo())
    yield writer.writerow(COLUMNS)
    for figure in figures:
        yield writer.writerow(_guarded(row(figure, populations), NUMBER_COLUMNS))


def figures_json(figures, citation, populations):
    """``{"citation": ..., "columns": [...], "figures": [...]}``, written a figure at a
    time. Values and rates are JSON numbers, a missing rate null; empty text is an empty
    string, as in the CSV."""
    head = json.dumps({"citation": citation, "columns": COLUMNS})
    yield head[:-1] + ', "figures": ['
    separator = ""
    for figure in figures:
        yield separator + json.dumps(typed_row(figure, populations))
        separator = ", "
    yield "]}\n"


def figures_xlsx(figures, populations, *, citation, filters, address):
    """The workbook as bytes: a sheet "Figures" (the header, then typed cells: year,
    value and rate are numbers, a missing rate an empty cell) and a sheet "About"
    (citation, filters, where the columns are explained). openpyxl's write-only mode
    keeps rows on disk, not in memory."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Figures")
    sheet.append(COLUMNS)
    for figure in figures:
        sheet.append(_guarded(typed_row(figure, populations), NUMBER_COLUMNS))
    about = book.create_sheet("About")
    for label, text in (
        ("Citation", citation),
        ("Filters", filters or "none: every published figure"),
        ("Columns explained", address),
    ):
        about.append([label, guard_formula(text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows_csv(columns, rows, numbers=()):
    """A small table, dicts of ``columns`` (a chart's or a map's figures), as CSV text,
    its text cells guarded as the figures files' are."""
    writer = csv.writer(Echo())
    lines = [writer.writerow(columns)]
    for values in rows:
        lines.append(writer.writerow(_guarded({name: values[name] for name in columns}, numbers)))
    return "".join(lines)


def notes_text(metric, years):
    """A metric's dated notes of published ``years``, in one cell: "2019–2021: text |
    from 2023: text" (the notes of a year still in draft say nothing yet)."""
    notes = [n for n in metric.notes.all() if any(map(n.applies_to, years))]
    return NOTE_SEPARATOR.join(f"{note.years_label}: {note.text}" for note in notes)


def metrics_csv(metrics, years):
    writer = csv.writer(Echo())
    yield writer.writerow(METRIC_COLUMNS)
    for metric in metrics:
        values = {
            "key": metric.key,
            "program": metric.program.slug if metric.program else "",
            "label": metric.label,
            "scope": metric.scope,
            "unit": metric.unit,
            "period": metric.period,
            "first_year": metric.first_year,
            "last_year": metric.last_year if metric.last_year is not None else "",
            "definition": metric.definition,
            "notes": notes_text(metric, years),
        }
        yield writer.writerow(_guarded(values, {"first_year", "last_year"}))


def states_csv(states):
    writer = csv.writer(Echo())
    yield writer.writerow(STATE_COLUMNS)
    for state in states:
        values = {
            "code": state.code,
            "fips": state.fips_code,
            "name": state.name,
            "slug": state.slug,
            "kind": state.kind,
        }
        yield writer.writerow(_guarded(values))
