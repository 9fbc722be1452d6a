"""What importing a file of figures (programs.importing) saves, and what its report says:
new, changed and unchanged figures, a dry run that saves nothing, columns left out of the
file left as saved, and the summary sentence with the editions an import creates.

The admin and the ``import_figures`` command both go through ``read_table`` and
``figures_import``; their own tests are in test_import_admin*.py and test_import_command.py.
"""

from programs.models import Edition, Figure, Metric
from programs.publishing import edition_publish
from states.models import State
from tests.conftest import figures_snapshot, make_metric, page_text
from tests.programs.import_helpers import (
    GOOD_ROW,
    HEADER,
    RECEIVED,
    REPORTS,
    SAMPLE,
    TRAFFICKING,
    csv_file,
    figure,
    import_file,
)

# The shared fixtures (tests/programs/import_helpers.py) this module's tests use.


def test_sample_file_imports_into_an_empty_figures_table(no_figures):
    report = import_file(SAMPLE.read_bytes(), SAMPLE.name)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (21, 0, 0)
    assert Figure.objects.count() == 21
    assert figure(REPORTS, "MN").value == 8611
    assert figure(TRAFFICKING).qualifier == Figure.Qualifier.MORE_THAN
    # The fact sheet's "36.2 million", as the transparency report gives it exactly.
    assert (figure(RECEIVED).value, figure(RECEIVED).qualifier) == (36210368, "")


def test_fact_sheet_shows_the_figures_of_the_imported_sample_once_published(client, no_figures):
    import_file(SAMPLE.read_bytes(), SAMPLE.name)
    assert client.get("/states/minnesota/2023/").status_code == 404  # a draft until then
    edition_publish(edition=Edition.objects.get(year=2023))

    response = client.get("/states/minnesota/2023/")

    text = page_text(response)
    assert response.status_code == 200
    for sentence in (
        "In 2023, 8,611 CyberTipline reports were made available to law enforcement in Minnesota.",
        "In 2023, the CyberTipline received 36.2 million reports",
        "In 2023, NCMEC received more than 18,400 reports relating to child sex trafficking.",
        "19% of these children were likely victims",
        "In 2023, NCMEC handled 201 cases of missing children from Minnesota.",
    ):
        assert sentence in text


def test_importing_the_same_file_twice_changes_nothing_the_second_time(no_figures):
    import_file(SAMPLE.read_bytes(), SAMPLE.name)
    before = figures_snapshot()

    report = import_file(SAMPLE.read_bytes(), SAMPLE.name)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 21)
    assert figures_snapshot() == before


def test_a_changed_value_updates_the_figure_and_reports_old_and_new(demo_draft):
    count = Figure.objects.count()

    report = import_file(csv_file(f"2023,MN,{REPORTS},9000"), reason="NCMEC corrected it")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    change = report.changes[0]
    assert (change.kind, change.old_value, change.value) == ("changed", "8,611", "9,000")
    assert figure(REPORTS, "MN").value == 9000
    assert Figure.objects.count() == count


def test_a_changed_note_updates_the_figure(demo_draft):
    report = import_file(
        csv_file(
            f"2023,MN,{REPORTS},8611,,,Revised in May", header=f"{HEADER},qualifier,source,note"
        ),
        reason="A note from NCMEC",
    )

    assert report.updated == 1
    assert figure(REPORTS, "MN").note == "Revised in May"


def test_dry_run_reports_the_changes_and_saves_nothing(demo):
    before = figures_snapshot()

    report = import_file(
        csv_file(GOOD_ROW, f"2023,MN,{REPORTS},9000"), dry_run=True, reason="Corrected"
    )

    assert (report.created, report.updated) == (1, 1)
    assert report.summary() == (
        "2 changes to the published 2023 edition would be staged for a Publisher."
    )
    assert figures_snapshot() == before


def test_file_without_optional_columns_keeps_saved_qualifier_source_and_note(demo_draft):
    # Leaving a column out is not writing blanks into it: the file says nothing about it.
    saved = figure(TRAFFICKING)
    saved.note = "Rounded down by NCMEC."
    saved.save()

    report = import_file(csv_file(f"2023,US,{TRAFFICKING},18400"))

    saved.refresh_from_db()
    assert (saved.qualifier, saved.source, saved.note) == (
        Figure.Qualifier.MORE_THAN,
        "NCMEC, Minnesota Data fact sheet, 2023",
        "Rounded down by NCMEC.",
    )
    assert report.unchanged == 1


# The summary reads as a sentence


def test_the_summary_names_one_new_edition_in_the_singular(db):
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    data = csv_file(f"2022,US,{metric.key},5")

    dry_run = import_file(data, dry_run=True).summary()
    saved = import_file(data).summary()

    assert dry_run == (
        "1 new figure would be saved in the draft 2022 edition. The 2022 edition would be "
        "created as a draft, which readers do not see until a Publisher publishes it."
    )
    assert saved == (
        "1 new figure saved in the draft 2022 edition. The 2022 edition was created as a "
        "draft, which readers do not see until a Publisher publishes it."
    )
    assert Edition.objects.get(year=2022).status == Edition.Status.DRAFT


def test_the_summary_names_several_new_editions_in_one_plural_sentence(db):
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    data = csv_file(f"2021,US,{metric.key},5", f"2022,US,{metric.key},6")

    assert import_file(data, dry_run=True).summary() == (
        "2 new figures would be saved in the draft 2021 and 2022 editions. The 2021 and 2022 "
        "editions would be created as drafts, which readers do not see until a Publisher "
        "publishes them."
    )
    assert import_file(data).summary() == (
        "2 new figures saved in the draft 2021 and 2022 editions. The 2021 and 2022 editions "
        "were created as drafts, which readers do not see until a Publisher publishes them."
    )
    assert set(Edition.objects.values_list("year", "status")) == {
        (2021, Edition.Status.DRAFT),
        (2022, Edition.Status.DRAFT),
    }


def test_the_summary_writes_a_real_years_counts_with_thousands_separators(db):
    """Every state's figure of 19 metrics: 1,064 rows, as a year's file for every fact sheet."""
    metrics = [make_metric() for _ in range(19)]
    states = State.objects.all()
    rows = [f"2022,{state.code},{metric.key},5" for metric in metrics for state in states]

    assert (
        import_file(csv_file(*rows))
        .summary()
        .startswith("1,064 new figures saved in the draft 2022 edition.")
    )
    assert import_file(csv_file(*rows)).summary() == "1,064 rows unchanged: nothing to save."
