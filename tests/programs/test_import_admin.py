"""Importing and exporting figures in the admin: upload, preview, confirm; who may do it.

The flow is django-import-export's own: POST the file to the import URL, read
``response.context["result"]``, then POST ``confirm_form.initial`` to the process URL.
"""

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from import_export.results import RowResult
from openpyxl import load_workbook

from programs.models import Figure, PendingChange
from programs.resources import FigureResource
from tests.conftest import figures_snapshot, xlsx_file

SAMPLE = Path(settings.BASE_DIR) / "samples" / "ncmec-figures-2023.csv"
IMPORT_URL = reverse("admin:programs_figure_import")
PROCESS_URL = reverse("admin:programs_figure_process_import")
EXPORT_URL = reverse("admin:programs_figure_export")
FIGURES_URL = reverse("admin:programs_figure_changelist")
CSV, XLSX, JSON = 0, 1, 2  # the index of each format in the admin's format menu
HEADER = "year,state,metric,value"
REPORTS = "cybertipline-reports-to-law-enforcement"
RECEIVED = "cybertipline-reports-received"
GOOD_ROW = f"2023,WI,{REPORTS},1200"  # a figure the demo does not have
SCRIPT = "<script>alert(1)</script>"
EXPORT_FIELDS = ("year", "state", "metric", "value", "qualifier", "source", "note")


def csv_file(*rows, header=HEADER):
    return "\n".join([header, *rows, ""]).encode()


def upload(client, data, file_name="figures.csv", file_format=CSV, reason=""):
    return client.post(
        IMPORT_URL,
        {
            "format": str(file_format),
            "import_file": SimpleUploadedFile(file_name, data),
            "reason": reason,
        },
    )


def confirm(client, preview):
    return client.post(PROCESS_URL, preview.context["confirm_form"].initial, follow=True)


def export(client, file_format=CSV, query=""):
    data = {"format": str(file_format), "resource": "0"}
    data.update({f"figureresource_{name}": "on" for name in EXPORT_FIELDS})
    return client.post(EXPORT_URL + query, data)


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def staff_with(client, django_user_model, *codenames):
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    client.user = user
    return client


IMPORTER_PERMISSIONS = ("import_figure", "view_figure", "add_figure", "change_figure")


@pytest.fixture
def importer(client, django_user_model, demo_draft):
    """Staff who may import figures, with the figure permissions an importer needs; 2023 is
    a draft edition, so imports write its figures at once."""
    return staff_with(client, django_user_model, *IMPORTER_PERMISSIONS)


@pytest.fixture
def published_importer(client, django_user_model, demo):
    """The same staff member, with 2023 published: imports into it are staged."""
    return staff_with(client, django_user_model, *IMPORTER_PERMISSIONS)


@pytest.fixture
def viewer(client, django_user_model, demo):
    """Staff who may view, add and change figures, but neither import nor export them."""
    return staff_with(client, django_user_model, "view_figure", "add_figure", "change_figure")


@pytest.fixture
def exporter(client, django_user_model, demo):
    return staff_with(client, django_user_model, "export_figure", "view_figure")


# Who may import and export


def test_staff_without_the_import_permission_is_refused_the_import_page(viewer):
    assert viewer.get(IMPORT_URL).status_code == 403
    assert upload(viewer, csv_file(GOOD_ROW)).status_code == 403


def test_staff_without_the_import_permission_cannot_confirm_an_import(viewer):
    form = {"import_file_name": "x", "original_file_name": "f.csv", "format": "0", "resource": ""}

    assert viewer.post(PROCESS_URL, form).status_code == 403


def test_staff_without_the_import_permission_sees_no_import_button(viewer):
    response = viewer.get(FIGURES_URL)

    assert response.status_code == 200
    assert IMPORT_URL.encode() not in response.content


def test_staff_with_the_import_permission_sees_the_import_button_and_page(importer):
    assert IMPORT_URL.encode() in importer.get(FIGURES_URL).content
    assert importer.get(IMPORT_URL).status_code == 200


def test_staff_without_the_export_permission_is_refused_the_export(viewer):
    assert viewer.get(EXPORT_URL).status_code == 403
    assert export(viewer).status_code == 403
    assert EXPORT_URL.encode() not in viewer.get(FIGURES_URL).content


def test_staff_with_the_export_permission_sees_the_export_button_and_may_export(exporter):
    assert EXPORT_URL.encode() in exporter.get(FIGURES_URL).content

    response = export(exporter)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_import_permission_does_not_allow_export(importer):
    assert export(importer).status_code == 403


# Upload, preview, confirm


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
        "Imported ncmec-figures-2023.csv: 21 created, 0 updated, 0 unchanged, 0 errors "
        "(21 figures were saved)."
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
        "Imported figures.csv: 1 created, 1 updated, 0 unchanged, 0 errors (2 figures were saved)."
    ]


def test_preview_marks_a_row_like_the_saved_figure_unchanged(importer):
    row = f'2023,US,{RECEIVED},36200000,rounded,"NCMEC, Minnesota Data fact sheet, 2023",'
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


# Bad files in the admin: the error on the page, no confirm button, nothing saved


def test_bad_row_is_shown_on_the_page_and_nothing_can_be_confirmed(importer):
    before = figures_snapshot()

    response = upload(importer, csv_file(GOOD_ROW, f"2023,Minesota,{REPORTS},5"))

    result = response.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [3]
    assert "confirm_form" not in response.context
    page = response.content.decode()
    assert escape("Row 3, column “state”: unknown state “Minesota”.") in page
    assert figures_snapshot() == before


def test_each_bad_row_of_a_file_is_listed(importer):
    response = upload(
        importer,
        csv_file(
            f"2023,MN,{REPORTS},12a", f"2023,MN,{RECEIVED},5", f"2023,US,{REPORTS},-5", GOOD_ROW
        ),
    )

    page = response.content.decode()
    for message in (
        "Row 2, column “value”: “12a” is not a number",
        f"Row 3, column “state”: “{RECEIVED}” is a national metric",
        "Row 4, column “value”: -5 is negative",
    ):
        assert escape(message) in page
    assert not Figure.objects.filter(state__code="WI").exists()


@pytest.mark.parametrize(
    ("data", "file_format", "message"),
    [
        pytest.param(b"", CSV, "The submitted file is empty.", id="empty"),
        pytest.param(
            csv_file(), CSV, "The file has a header but no rows of figures.", id="header"
        ),
        pytest.param(
            csv_file("2023,WI,x", header="year,state,metric"),
            CSV,
            "Missing required column(s): value.",
            id="missing-column",
        ),
        pytest.param(
            b"<html><body>Sign in</body></html>", CSV, "looks like a web page (HTML)", id="html"
        ),
        pytest.param(
            f"{HEADER}\n2023,Bogot\xe1,{REPORTS},5\n".encode("latin-1"),
            CSV,
            "The file is not UTF-8 text",
            id="latin-1",
        ),
        pytest.param(csv_file(GOOD_ROW), XLSX, "not a readable Excel workbook", id="csv-as-xlsx"),
        pytest.param(
            xlsx_file(["year", "state", "metric", "value"], [2023, "WI", REPORTS, 1]),
            CSV,
            "it contains binary data",
            id="xlsx-as-csv",
        ),
    ],
)
def test_a_file_that_cannot_be_read_shows_why_and_saves_nothing(
    importer, data, file_format, message
):
    before = figures_snapshot()

    response = upload(importer, data, "figures.csv", file_format)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert any(message in error for error in response.context["form"].errors["import_file"])
    assert escape(message) in response.content.decode()
    assert figures_snapshot() == before


def test_a_file_over_the_size_limit_is_refused_in_the_admin(importer, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 1_000_000
    before = figures_snapshot()
    data = csv_file(GOOD_ROW + ",", header=f"{HEADER},note") + b"x" * 1_000_000

    response = upload(importer, data)

    assert "the limit is 1 MB" in response.content.decode()
    assert "confirm_form" not in response.context
    assert figures_snapshot() == before


def test_confirm_after_the_preview_file_is_gone_says_so_and_saves_nothing(importer, settings):
    # The upload is held in the database between preview and confirm, for a few hours.
    preview = upload(importer, csv_file(GOOD_ROW))
    settings.FIGURE_IMPORT_HOLD_SECONDS = 0
    before = figures_snapshot()

    response = confirm(importer, preview)

    assert response.status_code == 200
    assert any("upload" in message.lower() for message in shown_messages(response))
    assert figures_snapshot() == before


# Text from files is escaped wherever it is shown


def test_markup_in_a_bad_row_is_shown_escaped(importer):
    response = upload(importer, csv_file(f"2023,{SCRIPT},{SCRIPT},5"))

    page = response.content.decode()
    assert SCRIPT not in page
    assert escape(f"unknown state “{SCRIPT}”") in page


def test_markup_in_the_file_name_is_shown_escaped_in_the_preview(importer):
    name = "<img src=x onerror=alert(1)>.csv"

    response = upload(importer, csv_file(GOOD_ROW), name)

    page = response.content.decode()
    assert "<img src=x" not in page
    assert f"Preview of {escape(name)}" in page


def test_a_note_with_markup_is_stored_verbatim_and_shown_escaped(importer):
    data = csv_file(f"{GOOD_ROW},{SCRIPT}", header=f"{HEADER},note")

    preview = upload(importer, data)
    list_page = confirm(importer, preview)

    saved = Figure.objects.get(metric__key=REPORTS, state__code="WI")
    assert saved.note == SCRIPT
    change_page = importer.get(reverse("admin:programs_figure_change", args=[saved.pk]))
    for page in (preview, list_page, change_page):
        assert SCRIPT.encode() not in page.content
    assert escape(SCRIPT).encode() in change_page.content


# Export


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
        f"Imported {name}: 0 created, 0 updated, {len(before)} unchanged, 0 errors "
        "(0 figures were saved)."
    ]
    assert figures_snapshot() == before


def test_export_resource_gives_one_row_per_figure_without_a_query_per_row(
    demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        dataset = FigureResource().export(Figure.objects.all())

    assert len(dataset) == Figure.objects.count()


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
    assert page.count("staged for a Publisher") == 2
    assert "2 rows change a published edition." in page
    response = confirm(published_importer, preview)

    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611
    assert not Figure.objects.filter(metric__key=REPORTS, state__code="WI").exists()
    staged = {(p.state.code, p.action, p.value) for p in PendingChange.objects.all()}
    assert staged == {("MN", "change", 9000), ("WI", "add", 1200)}
    assert shown_messages(response) == [
        "Imported figures.csv: 1 created, 1 updated, 0 unchanged, 0 errors (0 figures were "
        "saved). 2 changes to the published 2023 edition were staged: readers see them only "
        "once a Publisher publishes them."
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


# One reading, one check: a row error reads the same on the command line and in the admin


class Tables(HTMLParser):
    """The header cells of the tables in a page's <main> (not the admin's side menu), and
    the text of its list items."""

    def __init__(self):
        super().__init__()
        self.headers, self.items, self._open, self._in_main = [], [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main = True
        elif tag in ("th", "li") and self._in_main:
            self._open = (tag, dict(attrs).get("scope"), [])

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        elif self._open and tag == self._open[0]:
            text = " ".join("".join(self._open[2]).split())
            if tag == "th":
                self.headers.append((text, self._open[1]))
            else:
                self.items.append(text)
            self._open = None


def parsed(response):
    tables = Tables()
    tables.feed(response.content.decode())
    return tables


def command_errors(tmp_path, data):
    """What ``import_figures`` prints for a file: (its error lines, its summary)."""
    path = tmp_path / "figures.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines(), str(refused.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            csv_file(GOOD_ROW, "2023,MN,cvip-submissions-reviewed,8,611"),
            "Row 3: the row has 5 cells, but the header has 4 columns (year, state, metric, "
            "value). In a CSV file, a comma inside a cell starts a new cell unless the cell is "
            "in quotes: write 8,611 as “8,611” (in quotes) or 8611.",
            id="more-cells",
        ),
        pytest.param(
            csv_file(GOOD_ROW, "2023,MN,cvip-submissions-reviewed"),
            "Row 3: the row has 3 cells, but the header has 4 columns (year, state, metric, "
            "value). Give every column a cell, even an empty one (two commas in a row: ,,).",
            id="fewer-cells",
        ),
        pytest.param(
            csv_file(
                GOOD_ROW + ",",
                f'2023,US,{RECEIVED},36200,"36.2 million"',
                header=f"{HEADER},qualifier",
            ),
            "Row 3, column “qualifier”: “36.2 million” does not agree with the value 36200: "
            "readers would see “36,200”. For 36.2 million, write the value in full (36200000).",
            id="qualifier-disagrees",
        ),
    ],
)
def test_a_row_error_is_the_same_sentence_on_the_command_line_and_in_the_admin(
    importer, tmp_path, data, message
):
    before = figures_snapshot()

    response = upload(importer, data)
    lines, summary = command_errors(tmp_path, data)

    assert response.context["form"].errors == {}
    assert [row.number for row in response.context["result"].invalid_rows] == [3]
    assert "confirm_form" not in response.context
    assert message in parsed(response).items
    assert lines == [f"figures.csv: {message}"]
    assert summary == "1 error in figures.csv: nothing was saved."
    assert escape(summary) in response.content.decode()
    assert figures_snapshot() == before


def test_import_errors_are_plain_text_in_a_table_with_the_row_number_once(importer):
    response = upload(
        importer,
        csv_file(f"2023,Minesota,{REPORTS},12a", GOOD_ROW, f"2023,MN,{REPORTS},8,611"),
    )

    page = response.content.decode()
    tables = parsed(response)
    # Not in a tooltip shown on hover: every sentence is on the page, in a list item.
    assert "validation-error-container" not in page
    assert [item for item in tables.items if item.startswith("Row ")] == [
        "Row 2, column “state”: unknown state “Minesota”. Use a USPS code (MN) or a full name "
        "(Minnesota), or US for a national figure.",
        "Row 2, column “value”: “12a” is not a number (write 8611 or 8,611).",
        "Row 4: the row has 5 cells, but the header has 4 columns (year, state, metric, "
        "value). In a CSV file, a comma inside a cell starts a new cell unless the cell is in "
        "quotes: write 8,611 as “8,611” (in quotes) or 8611.",
    ]
    errors = [header for header in tables.headers if header[1] == "row"]
    assert errors == [("2", "row"), ("4", "row")]  # one row of the table per row of the file
    assert [text for text, scope in tables.headers if text == "Row"] == ["Row"]
    assert all(scope in ("col", "row") for _, scope in tables.headers)
    # A link at the top of the page leads a keyboard to the list, a heading it can focus.
    assert '<a href="#import-errors">Go to the list of errors</a>' in page
    assert '<h2 id="import-errors" tabindex="-1">Errors in figures.csv</h2>' in page
    assert not Figure.objects.filter(state__code="WI").exists()
