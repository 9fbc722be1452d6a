"""Figure files: reading an uploaded CSV, XLSX or JSON file into a table of strings,
with a sentence for every way a file can fail to be one, and guarding text written to
a spreadsheet. The import (programs/importing.py) checks and saves what is read here.

The limits a file is held to, and ImportFileError, are in import_limits.py; an XLSX
workbook is read in workbooks.py. This module exports them for its callers.
"""

import codecs
import csv
import io
import json
from dataclasses import dataclass

from django.conf import settings

# Exports guard text cells against spreadsheet formulas; imports take the guard off
# again (figure_rows), so that export then import changes nothing. One guard for every
# export: ncmec_site.spreadsheets.
from ncmec_site.spreadsheets import guard_formula, unguard  # noqa: F401 (re-exported)

from .import_limits import COLUMNS, ImportFileError, Limits, too_large
from .workbooks import read_xlsx

REQUIRED = ("year", "state", "metric", "value")
FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class Table:
    """A file as read: its header, and its rows as the file has them.

    A CSV row keeps its own number of cells, so that the check (figure_rows.check_rows)
    can refuse a row with more or fewer cells than the header, on every path alike. A
    spreadsheet row has a cell under every column, so an XLSX row is never short.
    """

    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    first_row: int  # the number a reader gives the first data row (2 under a header)


def format_for(file_name):
    """The format named by a file's extension, or None."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return suffix if suffix in FORMATS else None


def read_table(data: bytes, *, file_name: str = "", file_format: str | None = None) -> Table:
    """Read an uploaded file into a table of strings, or raise ImportFileError saying why."""
    if len(data) > settings.FIGURE_IMPORT_MAX_BYTES:
        raise ImportFileError(too_large(len(data)))
    if not data.strip():
        raise ImportFileError("The file is empty.")
    file_format = file_format or format_for(file_name) or "csv"
    limits = Limits()
    if file_format == "xlsx":
        columns, rows = read_xlsx(data, limits)
        first_row = 2
    else:
        text = _decode(data)
        if text.lstrip().startswith("<"):
            raise ImportFileError(
                "The file looks like a web page (HTML), not a table. Save the sheet as CSV, "
                "XLSX or JSON and upload that."
            )
        if file_format == "json":
            columns, rows = _read_json(text, limits)
            first_row = 1
        else:
            del text  # decoded only to check it; csv reads the bytes as a stream
            columns, rows = _read_csv(data, limits)
            first_row = 2
    columns = _check_columns(columns)
    if not any(row_is_filled(row) for row in rows):
        raise ImportFileError("The file has a header but no rows of figures.")
    return Table(columns=columns, rows=rows, first_row=first_row)


UTF_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _decode(data: bytes) -> str:
    if data.startswith(UTF_BOMS):
        raise ImportFileError(
            "The file is in UTF-16 or UTF-32, not UTF-8. In Excel, save it as “CSV UTF-8”; "
            "Google Sheets does so by default."
        )
    if b"\x00" in data[:8192]:
        raise ImportFileError(
            "The file is not a text table (it contains binary data). Upload a CSV, XLSX or "
            "JSON file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). In Excel, "
            "save it as “CSV UTF-8”; Google Sheets does so by default."
        ) from None


def _read_csv(data: bytes, limits):
    # A stream over the bytes: a StringIO would hold the whole file at 4 bytes a character.
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    rows = []
    try:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header:
            limits.check(header, 1, header=True)
        for number, row in enumerate(reader, 2):
            if len(rows) == limits.rows:
                raise limits.too_many_rows()
            limits.check(row, number)
            rows.append(tuple(row))
    except csv.Error as error:
        raise ImportFileError(f"The file cannot be read as CSV: {error}.") from None
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError("The file has no header row.")
    return header, rows


# Longer than any figure (Figure.value has at most 20 digits): a number of thousands of
# digits is refused as it is parsed, before Python turns it into an int.
MAX_NUMBER_CHARS = 100


class _Refused(Exception):
    """Raised from inside json.loads to stop parsing a file already refused."""


def _read_json(text, limits):
    objects = 0

    def record(pairs):
        nonlocal objects
        objects += 1
        if objects > limits.rows:
            raise _Refused(limits.too_many_rows())
        if len(pairs) > limits.columns:
            raise _Refused(
                ImportFileError(
                    f"An object in the file has {len(pairs):,} keys; a figure has at most "
                    f"{limits.columns} ({', '.join(COLUMNS)})."
                )
            )
        return dict(pairs)

    def number(parse):
        def hook(text):
            if len(text) > MAX_NUMBER_CHARS:
                raise _Refused(
                    ImportFileError(
                        f"The file has a number {len(text):,} characters long; a figure has "
                        f"at most {MAX_NUMBER_CHARS}."
                    )
                )
            return parse(text)

        return hook

    try:
        records = json.loads(
            text, object_pairs_hook=record, parse_int=number(int), parse_float=number(float)
        )
    except _Refused as refused:
        raise refused.args[0] from None
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"The file is not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise ImportFileError(
            "The file nests lists or objects too deeply to be a list of figures: write one "
            'flat object per figure, e.g. [{"year": 2023, "state": "MN", "metric": "…", '
            '"value": 8611}].'
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFileError(
            "A JSON file must be a list of objects, one per figure, e.g. "
            '[{"year": 2023, "state": "MN", "metric": "…", "value": 8611}].'
        )
    if not records:
        raise ImportFileError("The file has no figures: the list is empty.")
    header = {}
    for item in records:
        header.update(dict.fromkeys(item))
        if len(header) > limits.columns:
            raise ImportFileError(
                f"The objects in the file have more than {limits.columns} different keys; "
                f"a figure file has at most {limits.columns} ({', '.join(COLUMNS)})."
            )
    header = list(header)
    limits.check(header, 1, header=True)
    rows = []
    for number_, item in enumerate(records, 1):
        row = tuple("" if item.get(key) is None else str(item.get(key)) for key in header)
        limits.check(row, number_)
        rows.append(row)
    return header, rows


def row_is_filled(row):
    return any(cell.strip() for cell in row)


def _check_columns(header):
    columns = tuple(str(name).strip().lower() for name in header)
    unknown = [name for name in columns if name and name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(COLUMNS)}."
        )
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        raise ImportFileError(f"The column(s) {', '.join(repeated)} appear more than once.")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ImportFileError(
            f"Missing required column(s): {', '.join(missing)}. Every file needs "
            f"{', '.join(REQUIRED)}; {', '.join(c for c in COLUMNS if c not in REQUIRED)} "
            "are optional."
        )
    return columns
