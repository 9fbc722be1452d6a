"""Export, then import (programs.resources, programs.importing): a file exported in each
format imports back with nothing changed, even text that looks like a spreadsheet formula,
which the export guards with an apostrophe.
"""

import pytest
from import_export.formats import base_formats

from programs.models import Figure
from programs.resources import FigureResource
from tests.conftest import figures_snapshot
from tests.programs.import_helpers import PERCENT, RECEIVED, REPORTS, TRAFFICKING, import_file


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


TRICKY_NOTES = {
    RECEIVED: '=HYPERLINK("http://evil.example")',
    TRAFFICKING: "+1 revised",
    PERCENT: "-5 from last year",
    REPORTS: "@SUM(A1:A2)",
    "missing-cases-handled": "<script>alert(1)</script>\nSecond line, “quoted”, Bogotá",
}


def export(file_format):
    dataset = FigureResource().export(Figure.objects.all())
    data = file_format().export_data(dataset)
    return data.encode() if isinstance(data, str) else data


@pytest.mark.parametrize(
    ("file_format", "file_name"),
    [
        (base_formats.CSV, "figures.csv"),
        (base_formats.XLSX, "figures.xlsx"),
        (base_formats.JSON, "figures.json"),
    ],
)
def test_export_then_import_changes_nothing(demo, file_format, file_name):
    for key, note in TRICKY_NOTES.items():
        Figure.objects.filter(metric__key=key).update(note=note)
    before = figures_snapshot()

    report = import_file(export(file_format), file_name)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(before))
    assert figures_snapshot() == before


def test_export_guards_every_formula_start_with_an_apostrophe(demo):
    for key, note in TRICKY_NOTES.items():
        Figure.objects.filter(metric__key=key).update(note=note, source=note)

    rows = {row["metric"]: row for row in FigureResource().export(Figure.objects.all()).dict}

    for key in (RECEIVED, TRAFFICKING, PERCENT, REPORTS):
        assert rows[key]["note"] == "'" + TRICKY_NOTES[key]
        assert rows[key]["source"] == "'" + TRICKY_NOTES[key]
    assert rows["missing-cases-handled"]["note"] == TRICKY_NOTES["missing-cases-handled"]


def test_importing_an_export_restores_text_that_starts_with_an_apostrophe(demo):
    # "'=A1" is how a spreadsheet user writes the text =A1; it must survive the round trip.
    Figure.objects.filter(metric__key=REPORTS).update(note="'=A1 is a cell")
    before = figures_snapshot()

    report = import_file(export(base_formats.CSV))

    assert report.updated == 0
    assert figures_snapshot() == before
