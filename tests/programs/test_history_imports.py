"""A figure's history when an import or a command changes it: the file, the user (none
from the command line), the old value and the reason; an unchanged figure gets no new
record, and loading the demo twice records it once.
"""

import io

from django.core.management import call_command

from programs.figure_files import read_table
from programs.importing import figures_import
from programs.models import Edition, Figure, Metric, Program
from tests.programs.history_helpers import REASON, REPORTS, is_recent

# The shared fixture (tests/programs/history_helpers.py) this module's tests use.


def import_csv(*rows, file_name, **kwargs):
    data = "\n".join(["year,state,metric,value", *rows, ""]).encode()
    report = figures_import(
        table=read_table(data, file_name=file_name), file_name=file_name, **kwargs
    )
    assert report.ok, report.errors
    return report


def test_an_import_records_new_figures_with_the_file_and_the_user(demo, admin_user):
    import_csv(f"2024,MN,{REPORTS},9100", file_name="figures-2024.csv", user=admin_user)

    figure = Figure.objects.get(metric__key=REPORTS, year=2024)
    (record,) = figure.history.all()
    assert record.history_type == "+"
    assert record.history_user == admin_user
    assert record.history_change_reason == "Imported from figures-2024.csv"
    assert record.value == 9100
    assert is_recent(record.history_date)


def test_an_import_records_changed_figures_with_the_old_value_and_the_reason(
    draft_figure, admin_user
):
    import_csv(
        f"2023,MN,{REPORTS},9000",
        "2023,US,team-adam-incidents,57",  # as saved: unchanged, no new record
        file_name="corrections.csv",
        user=admin_user,
        reason=REASON,
    )

    latest = draft_figure.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user
    assert latest.history_change_reason == f"Imported from corrections.csv: {REASON}"
    assert (latest.prev_record.value, latest.value) == (8611, 9000)
    unchanged = Figure.objects.get(metric__key="team-adam-incidents", year=2023)
    assert unchanged.history.count() == 1


def test_the_import_command_records_history_with_the_file_name(demo_draft, tmp_path):
    path = tmp_path / "figures-2024.csv"
    path.write_text(f"year,state,metric,value\n2024,MN,{REPORTS},9100\n2023,MN,{REPORTS},9000\n")

    call_command("import_figures", str(path), reason=REASON, stdout=io.StringIO())

    new = Figure.objects.get(metric__key=REPORTS, year=2024).history.get()
    assert (new.history_type, new.history_user, new.value) == ("+", None, 9100)
    assert new.history_change_reason == f"Imported from figures-2024.csv: {REASON}"
    changed = Figure.objects.get(metric__key=REPORTS, year=2023).history.first()
    assert (changed.history_type, changed.value, changed.prev_record.value) == ("~", 9000, 8611)
    assert changed.history_change_reason == f"Imported from figures-2024.csv: {REASON}"


def test_the_demo_command_records_history_once(db):
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())

    figure = Figure.objects.get(metric__key=REPORTS, year=2023)
    (record,) = figure.history.all()
    source = "NCMEC, Minnesota Data fact sheet, 2023"
    assert (record.history_type, record.value, record.source) == ("+", 8611, source)
    # The figures come through the importer, from the sample file.
    assert record.history_change_reason == (
        "Imported from ncmec-figures-2023.csv: Demo data (NCMEC's published figures)"
    )
    (created,) = Metric.objects.get(key=REPORTS).history.all()
    assert created.history_change_reason == "Demo data (NCMEC's published figures)"
    for model in (Figure, Metric, Program):
        assert model.history.count() == model.objects.count()
    assert [e.history_change_reason for e in Edition.history.order_by("history_id")] == [
        "Demo data (NCMEC's published figures)"
    ] * 2 * 26  # each of 1998-2023 created as a draft, then published
