"""The ``import_figures`` and ``export_figures`` commands."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Edition, Figure, PendingChange
from programs.publishing import edition_publish, edition_unpublish
from tests.conftest import figures_snapshot, make_figure, make_metric, make_program


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


SAMPLE = Path(settings.BASE_DIR) / "samples" / "ncmec-figures-2023.csv"
HEADER = "year,state,metric,value"
REPORTS = "cybertipline-reports-to-law-enforcement"
RECEIVED = "cybertipline-reports-received"
GOOD_ROW = f"2023,WI,{REPORTS},1200"  # a figure the demo does not have
COLUMNS = ["year", "state", "metric", "value", "qualifier", "source", "note"]


def write(path, *rows, header=HEADER):
    path.write_text("\n".join([header, *rows, ""]), encoding="utf-8")
    return path


def run(*args):
    """Run a command: (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def no_figures(demo_draft):
    """No figure yet, and 2023 a draft edition: an import writes its figures at once."""
    Figure.objects.all().delete()


# import_figures


def test_import_of_the_sample_saves_every_figure_and_prints_a_summary(no_figures):
    out, _ = run("import_figures", str(SAMPLE))

    assert out == ("ncmec-figures-2023.csv: 21 new figures saved in the draft 2023 edition.\n")
    assert Figure.objects.count() == 21
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611


def test_import_of_the_same_file_again_reports_everything_unchanged(no_figures):
    run("import_figures", str(SAMPLE))
    before = figures_snapshot()

    out, _ = run("import_figures", str(SAMPLE))

    assert "21 rows unchanged: nothing to save." in out
    assert figures_snapshot() == before


def test_import_of_a_changed_draft_value_reports_an_update(demo_draft, tmp_path):
    out, _ = run("import_figures", str(write(tmp_path / "f.csv", f"2023,MN,{REPORTS},9000")))

    assert out == "f.csv: 1 changed figure saved in the draft 2023 edition.\n"
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 9000


def test_import_of_a_changed_published_value_stages_it_for_a_publisher(demo, tmp_path):
    out, _ = run(
        "import_figures",
        str(write(tmp_path / "f.csv", f"2023,MN,{REPORTS},9000")),
        "--reason",
        "NCMEC corrected it",
    )

    assert out.endswith("f.csv: 1 change to the published 2023 edition staged for a Publisher.\n")
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611
    staged = PendingChange.objects.get()
    assert (staged.value, staged.reason, staged.state.code) == (9000, "NCMEC corrected it", "MN")


def test_a_file_giving_the_published_value_again_drops_the_pending_change_and_says_so(
    demo, tmp_path
):
    run("import_figures", str(write(tmp_path / "a.csv", f"2023,MN,{REPORTS},9000")),
        "--reason", "NCMEC corrected it")  # fmt: skip

    out, _ = run("import_figures", str(write(tmp_path / "b.csv", f"2023,MN,{REPORTS},8611")))

    assert out.endswith(
        "b.csv: 1 pending change dropped, as the file gives the published figure again.\n"
    )
    assert not PendingChange.objects.exists()


def test_a_file_keeping_a_figure_whose_withdrawal_is_pending_reports_it_as_changed(demo, tmp_path):
    figure = Figure.objects.get(metric__key=REPORTS, state__code="MN")
    pending_changes_stage(
        proposals=[Proposal(figure.metric, 2023, figure.state, figure, withdraw=True)],
        reason="Withdrawn",
    )

    out, _ = run("import_figures", str(write(tmp_path / "c.csv", f"2023,MN,{REPORTS},8611")))

    assert "1 pending change dropped" in out
    assert not PendingChange.objects.exists()


def test_importing_into_a_figure_revised_before_clears_its_revised_mark(demo, tmp_path, client):
    figure = Figure.objects.get(metric__key=REPORTS, state__code="MN")
    pending_changes_stage(
        proposals=[Proposal(figure.metric, 2023, figure.state, figure, value=8700)],
        reason="Corrected",
    )
    pending_changes_publish(year=2023)
    edition = Edition.objects.get(year=2023)
    edition_unpublish(edition=edition)

    run("import_figures", str(write(tmp_path / "d.csv", f"2023,MN,{REPORTS},8800")))
    edition_publish(edition=edition)

    assert Figure.objects.get(pk=figure.pk).revision is None
    assert "revised-mark" not in client.get("/states/minnesota/2023/").content.decode()


def test_dry_run_reports_what_would_change_and_saves_nothing(no_figures):
    out, _ = run("import_figures", str(SAMPLE), "--dry-run")

    assert out == (
        "Dry run: ncmec-figures-2023.csv: 21 new figures would be saved in the draft 2023 "
        "edition.\n"
    )
    assert Figure.objects.count() == 0


def test_a_bad_row_fails_the_command_with_its_message_and_saves_nothing(demo, tmp_path):
    path = write(tmp_path / "bad.csv", GOOD_ROW, f"2023,Minesota,{REPORTS},5", "2023,MN,x,12a")
    before = figures_snapshot()
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^3 errors in bad.csv: nothing was saved\.$"):
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "bad.csv: Row 3, column “state”: unknown state “Minesota”. Use a USPS code (MN) or a "
        "full name (Minnesota), or US for a national figure.",
        "bad.csv: Row 4, column “metric”: unknown metric “x”.",
        "bad.csv: Row 4, column “value”: “12a” is not a number (write 8611 or 8,611).",
    ]
    assert figures_snapshot() == before


def test_a_bad_row_fails_a_dry_run_too(demo, tmp_path):
    path = write(tmp_path / "bad.csv", f"2023,MN,{RECEIVED},5")

    with pytest.raises(CommandError, match="1 error"):
        run("import_figures", str(path), "--dry-run")


def test_a_file_that_is_not_a_table_fails_the_command_and_saves_nothing(demo, tmp_path):
    path = tmp_path / "page.csv"
    path.write_bytes(b"<html><body>Sign in</body></html>")
    before = figures_snapshot()

    with pytest.raises(CommandError, match=r"^page.csv: The file looks like a web page \(HTML\)"):
        run("import_figures", str(path))

    assert figures_snapshot() == before


def test_an_empty_file_fails_the_command_saying_nothing_was_saved(demo, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match=r"^empty.csv: The file is empty. Nothing was saved.$"):
        run("import_figures", str(path))


def test_a_file_over_the_size_limit_fails_the_command(demo, tmp_path, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 1_000_000
    path = tmp_path / "big.csv"
    path.write_bytes(write(tmp_path / "x.csv", GOOD_ROW).read_bytes() + b"\n" * 1_000_000)

    with pytest.raises(CommandError, match="the limit is 1 MB"):
        run("import_figures", str(path))


def test_a_missing_file_fails_the_command(db, tmp_path):
    with pytest.raises(CommandError, match="^Cannot read .*nope.csv: No such file or directory.$"):
        run("import_figures", str(tmp_path / "nope.csv"))


def test_format_option_overrides_the_file_extension(no_figures, tmp_path):
    path = tmp_path / "figures.txt"
    path.write_text(json.dumps([{"year": 2023, "state": "MN", "metric": REPORTS, "value": 8611}]))

    run("import_figures", str(path), "--format", "json")

    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611


def test_exit_status_is_1_on_an_error_and_0_on_success(tmp_path):
    # A real process with its own database: the exit status a shell script or CI sees.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.test",
        "DJANGO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    env.pop("DATABASE_URL", None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "-v", "0").returncode == 0
    assert manage("load_demo_data").returncode == 0
    bad = write(tmp_path / "bad.csv", GOOD_ROW, f"2023,Minesota,{REPORTS},5")

    failed = manage("import_figures", str(bad))
    succeeded = manage(
        "import_figures", str(write(tmp_path / "good.csv", GOOD_ROW)), "--reason", "New data"
    )

    assert failed.returncode == 1
    assert "Row 3, column “state”: unknown state “Minesota”" in failed.stderr
    assert "CommandError: 1 error in bad.csv: nothing was saved." in failed.stderr
    assert succeeded.returncode == 0, succeeded.stderr
    assert "1 change to the published 2023 edition staged" in succeeded.stdout


# export_figures


def test_export_writes_every_figure_in_the_import_format_to_standard_output(demo):
    out, _ = run("export_figures")

    rows = csv_rows(out)
    assert out.splitlines()[0] == ",".join(COLUMNS)
    assert len(rows) == Figure.objects.count() == 21
    minnesota = next(row for row in rows if row["metric"] == REPORTS)
    assert minnesota == {
        "year": "2023",
        "state": "MN",
        "metric": REPORTS,
        "value": "8611",
        "qualifier": "",
        "source": "NCMEC, Minnesota Data fact sheet, 2023",
        "note": "",
    }


def test_export_filters_by_year(demo):
    make_figure(Figure.objects.get(metric__key=REPORTS).metric, year=2022, value=7000)

    rows = csv_rows(run("export_figures", "--year", "2022")[0])

    assert [(row["year"], row["value"]) for row in rows] == [("2022", "7000")]


@pytest.mark.parametrize(
    ("state", "codes"), [("MN", {"MN"}), ("minnesota", {"MN"}), ("US", {"US"})]
)
def test_export_filters_by_state_code_or_name_or_national(demo, state, codes):
    rows = csv_rows(run("export_figures", "--state", state)[0])

    assert rows
    assert {row["state"] for row in rows} == codes


def test_export_filters_by_program(demo):
    rows = csv_rows(run("export_figures", "--program", "cybertipline")[0])

    assert {row["metric"] for row in rows} == {
        RECEIVED,
        REPORTS,
        "cybertipline-content-pieces",
    }


def test_export_refuses_an_unknown_state_or_program(demo):
    with pytest.raises(CommandError, match="Unknown state “Minesota”"):
        run("export_figures", "--state", "Minesota")
    with pytest.raises(CommandError, match="Unknown program “cybertip”. Programs: .*cybertipline"):
        run("export_figures", "--program", "cybertip")


def test_export_as_json_to_standard_output(demo):
    records = json.loads(run("export_figures", "--format", "json")[0])

    assert len(records) == 21
    assert list(records[0]) == COLUMNS


def test_export_as_xlsx_needs_an_output_file(demo):
    with pytest.raises(CommandError, match="XLSX is a binary format: give --output FILE."):
        run("export_figures", "--format", "xlsx")


def test_export_as_xlsx_to_a_file_writes_a_workbook(demo, tmp_path):
    path = tmp_path / "figures.xlsx"

    _, err = run("export_figures", "--format", "xlsx", "--output", str(path))

    rows = list(load_workbook(path).active.values)
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 22
    assert err == f"Wrote 21 figures to {path}.\n"


def test_export_escapes_spreadsheet_formulas(demo):
    Figure.objects.filter(metric__key=REPORTS).update(note="=1+2", source="@SUM(A1)")

    row = next(row for row in csv_rows(run("export_figures")[0]) if row["metric"] == REPORTS)

    assert (row["note"], row["source"]) == ("'=1+2", "'@SUM(A1)")


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_export_then_import_changes_nothing(demo, tmp_path, file_format):
    program = make_program(slug="other")
    make_figure(make_metric(program), note="-3 on last year\n“Bogotá” <b>", source="+ NCMEC")
    before = figures_snapshot()
    path = tmp_path / f"figures.{file_format}"

    run("export_figures", "--format", file_format, "--output", str(path))
    out, _ = run("import_figures", str(path))

    assert f"{len(before)} rows unchanged: nothing to save." in out
    assert figures_snapshot() == before


def test_changing_a_published_figure_needs_a_reason(demo, tmp_path):
    with pytest.raises(CommandError, match="nothing was saved"):
        run("import_figures", str(write(tmp_path / "f.csv", f"2023,MN,{REPORTS},9000")))

    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611
