"""Figure files: reading an uploaded CSV, XLSX or JSON file into a table of strings,
with a sentence for every way a file can fail to be one, and guarding text written to
a spreadsheet. The import (programs/importing.py) checks and saves what is read here.
"""

import codecs
import csv
import io
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings

# Exports guard text cells against spreadsheet formulas; imports take the guard off
# again (figure_rows), so that export then import changes nothing. One guard for every
# export: ncmec_site.spreadsheets.
from ncmec_site.spreadsheets import guard_formula, unguard  # noqa: F401 (re-exported)

COLUMNS = ("year", "state", "metric", "value", "qualifier", "source", "note")
REQUIRED = ("year", "state", "metric", "value")
FORMATS = ("csv", "xlsx", "json")


class ImportFileError(Exception):
    """The file as a whole cannot be read as a table of figures; nothing was saved."""


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
    limit = settings.FIGURE_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            f"The file is {len(data):,} bytes; the limit is {limit / 1_000_000:g} MB "
            f"({limit:,} bytes). Split it into smaller files."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    file_format = file_format or format_for(file_name) or "csv"
    if file_format == "xlsx":
        columns, rows = _read_xlsx(data)
        first_row = 2
    else:
        text = _decode(data)
        if text.lstrip().startswith("<"):
            raise ImportFileError(
                "The file looks like a web page (HTML), not a table. Save the sheet as CSV, "
                "XLSX or JSON and upload that."
            )
        if file_format == "json":
            columns, rows = _read_json(text)
            first_row = 1
        else:
            del text  # decoded only to check it; csv reads the bytes as a stream
            columns, rows = _read_csv(data)
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


def _read_csv(data: bytes):
    # A stream over the bytes: a StringIO would hold the whole file at 4 bytes a character.
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(stream)
        header = next(reader, None)
        rows = [tuple(row) for row in reader]
    except csv.Error as error:
        raise ImportFileError(f"The file cannot be read as CSV: {error}.") from None
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError("The file has no header row.")
    return header, rows


def _read_json(text):
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"The file is not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFileError(
            "A JSON file must be a list of objects, one per figure, e.g. "
            '[{"year": 2023, "state": "MN", "metric": "…", "value": 8611}].'
        )
    if not records:
        raise ImportFileError("The file has no figures: the list is empty.")
    header = list(dict.fromkeys(key for record in records for key in record))
    rows = [
        tuple("" if record.get(key) is None else str(record.get(key)) for key in header)
        for record in records
    ]
    return header, rows


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            "The file is not a readable Excel workbook (.xlsx). Upload a CSV, XLSX or JSON file."
        ) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or not any(cell is not None for cell in header):
        raise ImportFileError("The first sheet has no header row.")
    width = len(header)
    body = []
    for row in rows:
        cells = tuple(_cell(cell) for cell in row)
        if len(cells) < width:  # a sheet without its dimensions gives short rows
            cells += ("",) * (width - len(cells))
        body.append(cells)
    workbook.close()
    return [_cell(cell) for cell in header], body


def row_is_filled(row):
    return any(cell.strip() for cell in row)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
