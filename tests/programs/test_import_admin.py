"""Importing figures in the admin: upload, preview, confirm. The preview shows each row as
new, changed (old to new) or unchanged; the confirm saves the figures of a draft year,
stages the changes to a published one, and writes who imported them and why in their
history.

The flow is django-import-export's own: POST the file to the import URL, read
``response.context["result"]``, then POST ``confirm_form.initial`` to the process URL.
Who may import and export: test_import_admin_permissions.py; bad files and rows:
test_import_admin_errors.py; escaping: test_import_admin_escaping.py; the export:
test_import_admin_export.py.
"""

import json

import pytest
from django.utils.html import escape
from import_export.results import RowResult

from programs.models import Figure, PendingChange
from tests.conftest import figures_snapshot, xlsx_file
from tests.programs.import_helpers import (
    FIGURES_URL,
    GOOD_ROW,
    HEADER,
    IMPORTER_PERMISSIONS,
    JSON,
    RECEIVED,
    RECEIVED_SOURCE,
    REPORTS,
    SAMPLE,
    XLSX,
    confirm,
    csv_file,
    shown_messages,
    staff_with,
    upload,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


@pytest.fixture
def published_importer(client, django_user_model, demo):
    """The same staff member, with 2023 published: imports into it are staged."""
    return staff_with(client, django_user_model, *IMPORTER_PERMISSIONS)


def test_sample_file_is_previewed_as_new_then_saved_on_confirm(importer):
    Figure.objects.all().delete()

    preview = upload(importer, SAMPLE.read_bytes(), SAMPLE.name)

    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals[RowResult.IMPORT_TYPE_NEW] == 21
    assert [row.import_type for row in result.rows] == [RowResult.IMPORT_TYPE_NEW] * 21
    assert b"21 new, 0 changed, 0 unchanged" in preview.content
    assert Figure.objects.count() == 0  # nothing saved before the confirm

    response = confirm(importer, preview)

    assert response.redirect_chain[-1][0] == FIGURES_URL
    assert Figure.objects.count() == 21
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611
    assert shown_messages(response) == [
        "Imported ncmec-figures-2023.csv: 21 new figures saved in the draft 2023 edition."
        " See 2023: what is there, missing and flagged."
    ]


def test_confirmed_import_records_who_imported_the_figures(importer):
    confirm(importer, upload(importer, csv_file(GOOD_ROW)))

    assert Figure.objects.get(metric__key=REPORTS, state__code="WI").updated_by == importer.user


def test_preview_shows_a_changed_value_as_old_to_new(importer):
    preview = upload(
        importer, csv_file(f"2023,MN,{REPORTS},9000", GOOD_ROW), reason="NCMEC corrected it"
    )

    result = preview.context["result"]
    assert [row.import_type for row in result.rows] == [
        RowResult.IMPORT_TYPE_UPDATE,
        RowResult.IMPORT_TYPE_NEW,
    ]
    assert result.rows[0].diff == [2, REPORTS, 2023, "Minnesota", "8,611 → 9,000"]
    assert "8,611 → 9,000" in preview.content.decode()
    assert b"1 new, 1 changed, 0 unchanged" in preview.content
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611

    response = confirm(importer, preview)

    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 9000
    assert shown_messages(response) == [
        "Imported figures.csv: 1 new figure and 1 changed figure saved in the draft 2023 edition."
        " See 2023: what is there, missing and flagged."
    ]


def test_preview_marks_a_row_like_the_saved_figure_unchanged(importer):
    row = f'2023,US,{RECEIVED},36210368,,"{RECEIVED_SOURCE}",'
    before = figures_snapshot()

    preview = upload(importer, csv_file(row, header=f"{HEADER},qualifier,source,note"))

    result = preview.context["result"]
    assert [row.import_type for row in result.rows] == [RowResult.IMPORT_TYPE_SKIP]
    assert b"0 new, 0 changed, 1 unchanged" in preview.content
    confirm(importer, preview)
    assert figures_snapshot() == before


def test_xlsx_file_is_imported_through_the_admin(importer):
    data = xlsx_file(list(HEADER.split(",")), [2023, "WI", REPORTS, 1200])

    preview = upload(importer, data, "figures.xlsx", XLSX)
    confirm(importer, preview)

    assert preview.context["result"].totals[RowResult.IMPORT_TYPE_NEW] == 1
    assert Figure.objects.get(metric__key=REPORTS, state__code="WI").value == 1200


def test_json_file_is_imported_through_the_admin(importer):
    data = json.dumps([{"year": 2023, "state": "WI", "metric": REPORTS, "value": "1,200"}])

    preview = upload(importer, data.encode(), "figures.json", JSON)
    confirm(importer, preview)

    assert Figure.objects.get(metric__key=REPORTS, state__code="WI").value == 1200


def test_changing_a_published_figure_without_a_reason_is_refused_and_saves_nothing(
    published_importer,
):
    preview = upload(published_importer, csv_file(f"2023,MN,{REPORTS},9000"))

    assert (
        escape(
            "Row 2, column “value”: this changes the value of a figure in the published 2023 "
            "edition. Give a reason for the change: readers see it in the revision note."
        )
        in preview.content.decode()
    )
    assert "confirm_form" not in preview.context
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611
    assert not PendingChange.objects.exists()


def test_a_correction_to_a_published_year_is_previewed_as_staged_and_staged_on_confirm(
    published_importer,
):
    preview = upload(
        published_importer,
        csv_file(f"2023,MN,{REPORTS},9000", GOOD_ROW),
        reason="NCMEC corrected the count",
    )

    page = preview.content.decode()
    assert page.count("New, staged for a Publisher") == 1
    assert page.count("Changed, staged for a Publisher") == 1
    assert "2 rows change the published 2023 edition:" in page
    response = confirm(published_importer, preview)

    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611
    assert not Figure.objects.filter(metric__key=REPORTS, state__code="WI").exists()
    staged = {(p.state.code, p.action, p.value) for p in PendingChange.objects.all()}
    assert staged == {("MN", "change", 9000), ("WI", "add", 1200)}
    assert shown_messages(response) == [
        "Imported figures.csv: 2 changes to the published 2023 edition staged for a Publisher."
        " See 2023: what is there, missing and flagged."
    ]


def test_an_admin_import_is_in_each_figures_history_with_its_file_and_reason(importer):
    # A draft's figure: the import writes it, with the file and the reason in its history.
    preview = upload(
        importer,
        csv_file(f"2023,MN,{REPORTS},9000"),
        file_name="corrections.csv",
        reason="NCMEC corrected the count",
    )
    confirm(importer, preview)

    figure = Figure.objects.get(metric__key=REPORTS, state__code="MN")
    latest = figure.history.first()
    assert (latest.value, latest.history_type) == (9000, "~")
    assert latest.history_user.pk == int(importer.session["_auth_user_id"])
    assert latest.history_change_reason == (
        "Imported from corrections.csv: NCMEC corrected the count"
    )
    assert figure.history.last().value == 8611


def test_a_large_preview_lists_every_changed_row_past_the_cap(importer, monkeypatch):
    monkeypatch.setattr("programs.resources.PREVIEW_ROWS", 1)
    preview = upload(
        importer,
        csv_file(GOOD_ROW, f"2023,MN,{REPORTS},9000"),
        reason="NCMEC corrected it",
    )

    kinds = [row.import_type for row in preview.context["result"].rows]
    assert kinds == [RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE]
    assert "Every changed row is listed below" not in preview.content.decode()
