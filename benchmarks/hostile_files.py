"""Hostile figure files: small on disk, each built to exhaust a reader that trusts it,
and how long refusing each takes, in how much memory.

Run from the project root:

    .venv/bin/python benchmarks/hostile_files.py

Each file is read by ``read_table`` (the reader the admin and ``import_figures`` share)
in a subprocess of its own, which prints the sentence it was refused with, the seconds
it took and the process's peak RSS (``resource.getrusage``). The tests
(tests/programs/test_hostile_files.py) build the same files with the functions here.
"""

import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    b'<row><c t="inlineStr"><is><t>year</t></is></c><c t="inlineStr"><is><t>state</t></is>'
    b'</c><c t="inlineStr"><is><t>metric</t></is></c><c t="inlineStr"><is><t>value</t></is>'
    b"</c></row>"
)
# A row without its "r" attribute: openpyxl counts it as the next one, so a million of
# them are a million equal strings, which deflate packs about a thousand to one.
FIGURE_ROW = (
    b'<row><c t="n"><v>2023</v></c><c t="inlineStr"><is><t>MN</t></is></c>'
    b'<c t="inlineStr"><is><t>m</t></is></c><c t="n"><v>1</v></c></row>'
)


def _skeleton():
    """The parts of a one-sheet workbook other than the sheet, as openpyxl writes them."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != SHEET}


def workbook(sheet_chunks, *, declared_rows=None):
    """An .xlsx whose first sheet is the XML ``sheet_chunks`` yields, zipped as a stream;
    with ``declared_rows`` the sheet's <dimension> says it has that many rows."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _skeleton().items():
            archive.writestr(name, data)
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START)
            if declared_rows:
                sheet.write(f'<dimension ref="A1:D{declared_rows}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in sheet_chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _repeated(row, count, per_chunk=10_000):
    block = row * per_chunk
    for _ in range(count // per_chunk):
        yield block
    yield row * (count % per_chunk)


def xlsx_declaring_rows(declared=10_000_000, rows=1_200_000):
    """The issue's file (636 KB): a sheet that declares ten million rows, and has more
    than a million."""
    return workbook([HEADER_ROW, *_repeated(FIGURE_ROW, rows - 1)], declared_rows=declared)


def xlsx_with_rows(rows):
    """A sheet that declares no size and has ``rows`` rows: only counting them finds it."""
    return workbook([HEADER_ROW, *_repeated(FIGURE_ROW, rows - 1)])


def xlsx_one_wide_row(cells=5_000_000):
    """One row of millions of empty cells: the XML parser would build it whole."""
    return workbook([HEADER_ROW, b"<row>", *_repeated(b"<c/>", cells), b"</row>"])


def xlsx_malformed():
    """A workbook whose sheet stops in the middle of a tag."""
    return workbook([HEADER_ROW, b'<row><c t="n"><v>2023</v></c><c t="inl'])


def json_million_keys(keys=1_000_000):
    """A list holding one object of a million keys (9.8 MB)."""
    body = ",".join(f'"{i:x}":0' for i in range(keys))
    return f"[{{{body}}}]".encode()


def json_million_objects(objects=1_000_000):
    return ("[" + ",".join(['{"a":1}'] * objects) + "]").encode()


def json_deeply_nested(depth=1_000_000):
    return b"[" * depth + b"]" * depth


def json_long_number(digits=5_000):
    return (
        '[{"year": 2023, "state": "MN", "metric": "m", "value": 1' + "0" * digits + "}]"
    ).encode()


def csv_blank_lines(lines=5_000_000):
    return b"year,state,metric,value\n" + b"\n" * lines


def csv_wide_row(cells=1_000_000):
    return b"year,state,metric,value\n" + b"x," * cells + b"\n"


FILES = {
    "xlsx declaring 10,000,000 rows": (xlsx_declaring_rows, "xlsx"),
    "xlsx with 1,000,000 rows, undeclared": (lambda: xlsx_with_rows(1_000_000), "xlsx"),
    "xlsx with one row of 5,000,000 cells": (xlsx_one_wide_row, "xlsx"),
    "xlsx malformed": (xlsx_malformed, "xlsx"),
    "json with a million keys": (json_million_keys, "json"),
    "json with a million objects": (json_million_objects, "json"),
    "json nested a million deep": (json_deeply_nested, "json"),
    "json with a 5,000-digit number": (json_long_number, "json"),
    "csv of 5,000,000 blank lines": (csv_blank_lines, "csv"),
    "csv with a row of 1,000,000 cells": (csv_wide_row, "csv"),
}


def measure(path, file_format):
    """In this process: read the file, print the sentence, seconds and peak RSS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncmec_site.settings.dev")
    import django

    django.setup()
    from programs.figure_files import ImportFileError, read_table

    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        read_table(data, file_format=file_format)
        outcome = "READ (not refused)"
    except ImportFileError as error:
        outcome = str(error)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))


def main():
    import tempfile

    print(f"{'file':40} {'size':>9} {'seconds':>8} {'peak MB':>8}  refused with")
    with tempfile.TemporaryDirectory() as folder:
        for name, (build, file_format) in FILES.items():
            path = Path(folder) / f"hostile.{file_format}"
            path.write_bytes(build())
            result = subprocess.run(
                [sys.executable, __file__, "--measure", str(path), file_format],
                capture_output=True,
                text=True,
                cwd=PROJECT_ROOT,
            )
            if result.returncode:
                print(f"{name:40} FAILED\n{result.stderr}")
                continue
            report = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"{name:40} {path.stat().st_size / 1000:>7,.0f}KB {report['seconds']:>8.2f} "
                f"{report['peak_mb']:>8.0f}  {report['outcome'][:90]}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
