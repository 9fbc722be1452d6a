"""Exporting figures from the admin: the import's format in CSV, Excel and JSON, only the
filtered figures, spreadsheet formulas escaped, any columns ticked; an export imports back
with nothing changed; one query for all the rows, not one per row.
"""

import csv
import io
import json

import pytest
from import_export.results import RowResult
from openpyxl import load_workbook

from programs.models import Figure
from programs.resources import FigureResource
from tests.conftest import figures_snapshot
from tests.programs.import_helpers import (
    CSV,
    EXPORT_FIELDS,
    EXPORT_URL,
    JSON,
    RECEIVED,
    REPORTS,
    SCRIPT,
    XLSX,
    confirm,
    export,
    shown_messages,
    staff_with,
    upload,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixtures (tests/programs/import_helpers.py) this module's tests use.


def exported_rows(response, file_format):
    if file_format == CSV:
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    if file_format == JSON:
        return json.loads(response.content)
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("file_format", [CSV, XLSX, JSON])
def test_export_writes_the_import_format(exporter, file_format):
    response = export(exporter, file_format)

    rows = exported_rows(response, file_format)
    assert list(rows[0]) == list(EXPORT_FIELDS)
    assert len(rows) == Figure.objects.count()
    minnesota = next(row for row in rows if row["metric"] == REPORTS)
    assert (str(minnesota["year"]), minnesota["state"], str(minnesota["value"])) == (
        "2023",
        "MN",
        "8611",
    )


def test_export_writes_only_the_filtered_figures(exporter):
    response = export(exporter, CSV, "?place=national")

    rows = exported_rows(response, CSV)
    assert len(rows) == Figure.objects.national().count() == 11
    assert {row["state"] for row in rows} == {"US"}


def test_export_escapes_spreadsheet_formulas(exporter):
    Figure.objects.filter(metric__key=REPORTS).update(note="=1+2", source="@SUM(A1)")
    Figure.objects.filter(metric__key=RECEIVED).update(note="+1", source="-1")

    rows = {row["metric"]: row for row in exported_rows(export(exporter, CSV), CSV)}

    assert (rows[REPORTS]["note"], rows[REPORTS]["source"]) == ("'=1+2", "'@SUM(A1)")
    assert (rows[RECEIVED]["note"], rows[RECEIVED]["source"]) == ("'+1", "'-1")


def test_export_with_some_columns_unticked_still_downloads(exporter):
    data = {"format": str(CSV), "resource": "0", "figureresource_year": "on"}
    data.update({"figureresource_metric": "on", "figureresource_value": "on"})

    response = exporter.post(EXPORT_URL, data)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("file_format", "name"), [(CSV, "f.csv"), (XLSX, "f.xlsx"), (JSON, "f.json")]
)
def test_importing_an_admin_export_changes_nothing(
    client, django_user_model, demo, file_format, name
):
    staff = staff_with(
        client, django_user_model, "import_figure", "export_figure", "view_figure",
        "add_figure", "change_figure",
    )  # fmt: skip
    Figure.objects.filter(metric__key=REPORTS).update(note=f"=1+2 {SCRIPT}\nline two")
    before = figures_snapshot()

    exported = export(staff, file_format)
    preview = upload(staff, exported.content, name, file_format)
    response = confirm(staff, preview)

    assert preview.context["result"].totals[RowResult.IMPORT_TYPE_SKIP] == len(before)
    assert shown_messages(response) == [
        f"Imported {name}: {len(before)} rows unchanged: nothing to save."
        " See 2023: what is there, missing and flagged."
    ]
    assert figures_snapshot() == before


def test_export_resource_gives_one_row_per_figure_without_a_query_per_row(
    demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        dataset = FigureResource().export(Figure.objects.all())

    assert len(dataset) == Figure.objects.count()
