"""Figure files: reading an uploaded CSV, XLSX or JSON file into a table of strings,
with a sentence for every way a file can fail to be one, and guarding text written to
a spreadsheet. The import (programs/importing.py) checks and saves what is read here.
"""

import codecs
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

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
    if len(data) > settings.FIGURE_IMPORT_MAX_BYTES:
        raise ImportFileError(too_large(len(data)))
    if not data.strip():
        raise ImportFileError("The file is empty.")
    file_format = file_format or format_for(file_name) or "csv"
    limits = Limits()
    if file_format == "xlsx":
        columns, rows = _read_xlsx(data, limits)
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


def too_large(size):
    """Why a file of ``size`` bytes is refused unread."""
    limit = settings.FIGURE_IMPORT_MAX_BYTES
    return (
        f"The file is {size:,} bytes; the limit is {limit / 1_000_000:g} MB "
        f"({limit:,} bytes). Split it into smaller files."
    )


class Limits:
    """The most rows, columns and characters in a cell a file may have, checked row by
    row while the file is read: a small file that unpacks or parses into millions of rows
    is refused once it passes the limit, never held whole in memory."""

    def __init__(self):
        self.rows = settings.FIGURE_IMPORT_MAX_ROWS
        self.columns = settings.FIGURE_IMPORT_MAX_COLUMNS
        self.cell = settings.FIGURE_IMPORT_MAX_CELL_CHARS

    def too_many_rows(self):
        return ImportFileError(
            f"The file has more than {self.rows:,} rows of figures; the limit is "
            f"{self.rows:,}. Split it into smaller files."
        )

    def check(self, cells, number, *, header=False):
        """Refuse the row ``number`` of the file (cells as strings) if it is too wide or
        has a cell too long; empty cells at its end do not count."""
        width = len(cells)
        if width > self.columns:
            while width and not cells[width - 1].strip():
                width -= 1
            if width > self.columns:
                what = "The header" if header else f"Row {number}"
                raise ImportFileError(
                    f"{what} has {width:,} cells; a figure file has at most "
                    f"{self.columns} columns ({', '.join(COLUMNS)})."
                )
        if cells and max(map(len, cells)) > self.cell:
            column = next(i for i, cell in enumerate(cells) if len(cell) > self.cell)
            what = "the header" if header else f"row {number}"
            raise ImportFileError(
                f"Cell {column + 1} of {what} is {len(cells[column]):,} characters long; "
                f"the limit is {self.cell:,}."
            )


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


# An XLSX file is a zip of XML files: a few kilobytes can unpack to gigabytes. Each part
# is held to a size before it is read (a zip member never gives more than it declares),
# the sheet is scanned before it is parsed, then read as a stream, a row at a time.
MAX_XLSX_PARTS = 1_000
MAX_XLSX_PART_BYTES = 20_000_000  # shared strings, styles: read whole by openpyxl
MAX_SHEET_BYTES = 400_000_000  # a 200,000-row sheet of seven columns is about 60 MB
MAX_ROW_XML_BYTES = 1_000_000  # 50 cells of 2,000 characters are at most 400 KB
NOT_A_WORKBOOK = (
    "The file is not a readable Excel workbook (.xlsx). Upload a CSV, XLSX or JSON file."
)


def _check_parts(data):
    """Refuse a workbook with too many parts, or one that unpacks too large."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    if len(parts) > MAX_XLSX_PARTS:
        raise ImportFileError(
            f"The workbook holds {len(parts):,} files; a workbook of figures holds a few. "
            "Copy the figures into a new workbook and upload that."
        )
    for part in parts:
        limit = MAX_SHEET_BYTES if part.filename.startswith("xl/worksheets/") else None
        if part.file_size > (limit or MAX_XLSX_PART_BYTES):
            raise ImportFileError(
                f"The workbook's part {part.filename} unpacks to {part.file_size:,} bytes: "
                "too large for a workbook of figures. Copy the figures into a new workbook "
                "and upload that."
            )


DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{1,3}[0-9]+:[A-Z]{1,3}([0-9]+)\"")
ROOT_PREFIX = re.compile(rb"<(\w+:)?worksheet[\s>]")


def _scan_sheet(source, limits):
    """Refuse a sheet that declares more rows than the limit, or has them, or unpacks to
    more than MAX_SHEET_BYTES, or has more than MAX_ROW_XML_BYTES of XML in a row or
    between two rows; the XML is only counted, so a sheet of millions of rows is refused
    in a fraction of the time openpyxl takes to parse them (and its parser would build a
    row of a million cells whole before yielding it)."""
    head = source.read(64 * 1024)
    start = head.split(b"<sheetData", 1)[0]
    declared = DIMENSION.search(start)
    if declared and int(declared[1]) > limits.rows + 1:
        raise ImportFileError(
            f"The first sheet declares {int(declared[1]):,} rows; the limit is "
            f"{limits.rows:,} rows of figures. Split it into smaller files."
        )
    prefix = ROOT_PREFIX.search(start)
    tag = b"<" + (prefix[1] or b"" if prefix else b"") + b"row"
    total, rows, since_row, tail, data = 0, 0, 0, b"", head
    while data:
        total += len(data)
        if total > MAX_SHEET_BYTES:
            raise ImportFileError(
                f"The sheet unpacks to more than {MAX_SHEET_BYTES // 1_000_000} MB of XML: "
                "too large to be a table of figures. Split it into smaller files."
            )
        window = tail + data  # a tag cut in two by the chunk is found whole
        first = window.find(tag)
        if first < 0:
            since_row += len(data)
        else:
            if since_row + first - len(tail) > MAX_ROW_XML_BYTES:
                since_row = MAX_ROW_XML_BYTES + 1
            else:
                rows += window.count(tag)
                since_row = len(window) - window.rfind(tag)
        if since_row > MAX_ROW_XML_BYTES:
            raise ImportFileError(
                f"A row of the sheet, or what lies between two rows, is more than "
                f"{MAX_ROW_XML_BYTES // 1_000_000} MB of XML: it is not a table of figures. "
                "Copy the figures into a new workbook and upload that."
            )
        if rows > limits.rows + 1:  # the header and the rows of figures
            raise limits.too_many_rows()
        tail = window[-(len(tag) - 1) :]
        data = source.read(1_000_000)


def _workbook(data, limits):
    """The workbook with its first worksheet only, read only, once it has been scanned.

    openpyxl's load_workbook reads the size of every sheet when it opens the workbook,
    by parsing each one until it finds its <dimension>, which a hostile sheet leaves
    out; here only the first worksheet is opened, and it is scanned (_scan_sheet)
    before openpyxl parses a row of it.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self):
            with self._get_source() as source:
                _scan_sheet(source, limits)
            # No size given to openpyxl, so that it does not pad rows to a declared one.

    class FirstSheetReader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.wb._sheets.append(
                        Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                    )
                    return

    reader = FirstSheetReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read()
    except BaseException:
        reader.archive.close()
        raise
    return reader.wb


def _read_xlsx(data, limits):
    workbook = None
    try:
        _check_parts(data)
        workbook = _workbook(data, limits)
        if not workbook.worksheets:
            raise ImportFileError("The workbook has no worksheet.")
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(cell is not None for cell in header):
            raise ImportFileError("The first sheet has no header row.")
        header = [_cell(cell) for cell in header]
        limits.check(header, 1, header=True)
        width = len(header)
        body = []
        for number, row in enumerate(rows, 2):
            if len(body) == limits.rows:  # blank rows count: openpyxl yields one per gap
                raise limits.too_many_rows()
            cells = tuple(_cell(cell) for cell in row)
            limits.check(cells, number)
            if len(cells) < width:  # a sheet without its dimensions gives short rows
                cells += ("",) * (width - len(cells))
            body.append(cells)
    except ImportFileError:
        raise
    except (
        zipfile.BadZipFile, zipfile.LargeZipFile, ParseError, KeyError, IndexError, ValueError,
        TypeError, AttributeError, OSError, EOFError, NotImplementedError,
    ):  # fmt: skip
        # openpyxl has no error of its own for a file it cannot read.
        raise ImportFileError(NOT_A_WORKBOOK) from None
    finally:
        if workbook is not None:
            workbook.close()
    return header, body


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
