"""Files of figures that cannot be read as a table (programs.figure_files): each refused
with one sentence saying why (missing or unknown columns, empty, binary, HTML, not UTF-8,
not JSON or Excel), and nothing saved; and the size limit on a file.
"""

import pytest

from programs.figure_files import ImportFileError
from tests.conftest import figures_snapshot, xlsx_file
from tests.programs.import_helpers import GOOD_ROW, HEADER, REPORTS, csv_file, import_file


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixtures (tests/programs/import_helpers.py) this module's tests use.


# Files that cannot be read as a table: one sentence saying why, and nothing saved.

UTF8 = "The file is not UTF-8 text"
NOT_XLSX = "The file is not a readable Excel workbook"
HEADER_ONLY = "The file has a header but no rows of figures."
BAD_FILES = [
    pytest.param(
        csv_file(f"2023,WI,{REPORTS}", header="year,state,metric"),
        "figures.csv",
        "Missing required column(s): value.",
        id="missing-column",
    ),
    pytest.param(
        csv_file(GOOD_ROW + ",1", header=f"{HEADER},amount"),
        "figures.csv",
        "Unknown column(s): amount.",
        id="unknown-column",
    ),
    pytest.param(
        csv_file(GOOD_ROW + ",1", header=f"{HEADER},value"),
        "figures.csv",
        "The column(s) value appear more than once.",
        id="repeated-column",
    ),
    pytest.param(b"", "figures.csv", "The file is empty.", id="empty"),
    pytest.param(b"\r\n \n", "figures.csv", "The file is empty.", id="blank-lines-only"),
    pytest.param(csv_file(), "figures.csv", HEADER_ONLY, id="header-only"),
    pytest.param(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "figures.csv",
        "The file is not a text table (it contains binary data).",
        id="binary",
    ),
    pytest.param(
        b"<!DOCTYPE html>\n<html><body><table><tr><td>2023</td></tr></table></body></html>",
        "figures.csv",
        "The file looks like a web page (HTML), not a table.",
        id="html",
    ),
    pytest.param(
        f"{HEADER}\n2023,Bogot\xe1,{REPORTS},5\n".encode("latin-1"),
        "figures.csv",
        f"{UTF8} (byte 35 cannot be read).",
        id="latin-1",
    ),
    pytest.param(
        f"{HEADER},note\n{GOOD_ROW},“revised”\n".encode("cp1252"),
        "figures.csv",
        UTF8,
        id="cp1252",
    ),
    pytest.param(b'[{"year": 2023,', "figures.json", "The file is not valid JSON", id="bad-json"),
    pytest.param(
        b'{"year": 2023}',
        "figures.json",
        "A JSON file must be a list of objects",
        id="json-object",
    ),
    pytest.param(
        b"[]", "figures.json", "The file has no figures: the list is empty.", id="json-[]"
    ),
    pytest.param(csv_file(GOOD_ROW), "figures.xlsx", NOT_XLSX, id="csv-named-xlsx"),
    pytest.param(
        xlsx_file(["year", "state", "metric", "value"]),
        "figures.xlsx",
        HEADER_ONLY,
        id="xlsx-header-only",
    ),
    pytest.param(
        xlsx_file(), "figures.xlsx", "The first sheet has no header row.", id="xlsx-empty"
    ),
]


@pytest.mark.parametrize(("data", "file_name", "message"), BAD_FILES)
def test_a_file_that_is_not_a_table_of_figures_is_refused_and_nothing_is_saved(
    demo, data, file_name, message
):
    before = figures_snapshot()

    error = import_file(data, file_name)

    assert isinstance(error, ImportFileError)
    assert message in str(error)
    assert figures_snapshot() == before


def test_a_utf16_file_is_refused_as_the_wrong_encoding(demo):
    # Excel's "Unicode Text" is UTF-16: the message must say to save it as UTF-8.
    before = figures_snapshot()

    error = import_file(csv_file(GOOD_ROW).decode().encode("utf-16"))

    assert isinstance(error, ImportFileError)
    assert "UTF-8" in str(error)
    assert figures_snapshot() == before


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(demo, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 2_000_000
    before = figures_snapshot()
    data = csv_file(GOOD_ROW, header=f"{HEADER},note").rstrip() + b",\n" + b"x" * 2_000_000

    error = import_file(data)

    assert isinstance(error, ImportFileError)
    assert "; the limit is 2 MB (2,000,000 bytes)." in str(error)
    assert figures_snapshot() == before


def test_a_file_at_the_size_limit_imports(no_figures, settings):
    data = csv_file(f"2023,MN,{REPORTS},8611")
    settings.FIGURE_IMPORT_MAX_BYTES = len(data)

    report = import_file(data)

    assert report.created == 1


def test_size_limit_message_gives_a_small_limit_truthfully(demo, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 1000

    error = import_file(csv_file(*[GOOD_ROW] * 100))

    assert "the limit is 0 MB" not in str(error)
