"""Reading the first sheet of an uploaded Excel workbook (.xlsx) into a header and rows
of strings, for figure_files.read_table, refusing a workbook that would unpack or parse
past the limits before openpyxl reads it."""

import io
import re
import zipfile
from xml.etree.ElementTree import ParseError

from .import_limits import ImportFileError

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


def read_xlsx(data, limits):
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


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
