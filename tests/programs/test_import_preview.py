"""What the admin's import preview tells staff before they confirm: the figures to check
(programs/figure_checks.py flags, which never refuse), every column the file has, the
years it creates as drafts and the published editions it changes.

The upload/confirm flow and the sums: test_import_admin.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.results import RowResult

from programs import importing
from programs.models import Figure, Metric
from states.models import State
from tests.conftest import make_figure, make_metric, page_text
from tests.programs.import_helpers import (
    HEADER,
    IMPORTER_PERMISSIONS,
    REPORTS,
    TRAFFICKING,
    confirm,
    csv_file,
    staff_with,
    upload,
)

SOURCE = "NCMEC, Minnesota Data fact sheet, 2023"
TEXT_HEADER = f"{HEADER},qualifier,source,note"
# Minnesota's reports: 8,611 in 2022, then a digit typed twice in 2023.
JUMP = (f'2022,MN,{REPORTS},8611,,"{SOURCE}",', f'2023,MN,{REPORTS},86110,,"{SOURCE}",')


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint, with
    Minnesota's reports collected from 2022 on (the demo has them from 2023)."""
    Metric.objects.filter(key=REPORTS).update(first_year=2022)


@pytest.fixture
def published_importer(client, django_user_model, demo):
    """An importer with 2023 published: its changes are staged."""
    return staff_with(client, django_user_model, *IMPORTER_PERMISSIONS)


def preview_text(preview):
    return page_text(preview.content.decode())


# Flags: what to check before confirming


def test_preview_lists_the_files_rows_flags_first_then_those_of_saved_figures(importer):
    # Row 2 puts 2022 at 861, which makes the saved 2023 figure (8,611) a tenfold jump;
    # row 3 adds a national figure with no source where the metric's others have one.
    preview = upload(
        importer,
        csv_file(f"2022,MN,{REPORTS},861,,,", f"2023,US,{TRAFFICKING},500,,,", header=TEXT_HEADER),
    )

    rows = [flagged.row for flagged in preview.context["result"].report.flags]
    assert rows[-1] is None and None not in rows[:-1] and rows[:-1] == sorted(rows[:-1])


def test_preview_flags_a_tenfold_jump_with_its_row_and_the_previous_value(importer):
    preview = upload(importer, csv_file(*JUMP, header=TEXT_HEADER))

    report = preview.context["result"].report
    assert [(flagged.row, flagged.flag.kind) for flagged in report.flags] == [(3, "jump")]
    text = preview_text(preview)
    assert "1 figure to check before you confirm:" in text
    flag_line = text.split("Row 3: ", 1)[1]
    assert "86,110" in flag_line.split("\n")[0] and "8,611" in flag_line.split("\n")[0]
    # The flagged row is marked in the table; the other is not.
    rows = preview.context["result"].rows
    assert [bool(row.flags) for row in rows] == [False, True]
    assert preview.content.decode().count('href="#import-flags">To check</a>') == 1


def test_a_flag_does_not_refuse_the_import(importer):
    preview = upload(importer, csv_file(*JUMP, header=TEXT_HEADER))

    assert "confirm_form" in preview.context
    assert 'value="Confirm import"' in preview.content.decode()
    confirm(importer, preview)
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN", year=2023).value == 86110


def test_flags_are_computed_for_the_preview_only_not_again_on_confirm(importer, monkeypatch):
    calls = []
    checks = importing.candidate_flags

    def counted(candidates):
        calls.append(len(list(candidates)))
        return checks(candidates)

    monkeypatch.setattr(importing, "candidate_flags", counted)
    preview = upload(importer, csv_file(*JUMP, header=TEXT_HEADER))
    confirm(importer, preview)

    assert calls == [2]  # the preview's two rows, once


def test_a_file_with_nothing_to_check_shows_no_flags(importer):
    preview = upload(
        importer, csv_file(f'2023,WI,{REPORTS},1200,,"{SOURCE}",', header=TEXT_HEADER)
    )

    assert preview.context["result"].report.flags == []
    assert "to check before you confirm" not in preview_text(preview)


def test_the_preview_reads_the_same_number_of_queries_for_one_row_or_many(importer):
    def queries(*rows):
        with CaptureQueriesContext(connection) as captured:
            upload(importer, csv_file(*rows, header=TEXT_HEADER))
        return len(captured)

    one = queries(JUMP[1])
    many = queries(*JUMP, *(f'2023,{s},{REPORTS},{n},,"{SOURCE}",' for s, n in
                            (("WI", 1200), ("IA", 900), ("ND", 300), ("SD", 250))))  # fmt: skip
    assert many == one


# Every column the file has


def test_preview_shows_the_qualifier_source_and_note_columns_the_file_has(importer):
    long_source = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A, " * 3
    rows = (
        f'2023,US,{TRAFFICKING},18400,more than,"{long_source}",Rounded down by NCMEC.',
        f"2023,WI,{REPORTS},1200,,,",
    )
    preview = upload(importer, csv_file(*rows, header=TEXT_HEADER))

    result = preview.context["result"]
    assert result.diff_headers[-3:] == ["Qualifier", "Source", "Note"]
    assert result.rows[1].diff[-3:] == ["—", "—", "—"]
    text = preview_text(preview)
    for cell in ("more than", long_source.strip(), "Rounded down by NCMEC."):
        assert cell in text
    assert 'class="import-source"' in preview.content.decode()  # wraps: admin-import.css


def test_preview_shows_only_the_columns_the_file_has(importer):
    preview = upload(importer, csv_file(f"2023,WI,{REPORTS},1200", header=HEADER + ",note"))

    result = preview.context["result"]
    assert result.diff_headers == ["Row", "Metric", "Year", "Place", "Value", "Note"]


# Which editions the import creates or changes


def test_preview_says_a_year_without_an_edition_is_created_as_a_draft(importer):
    preview = upload(importer, csv_file(JUMP[0], header=TEXT_HEADER))

    assert (
        "2022 has no edition yet: confirming creates it as a draft, which readers do not see "
        "until a Publisher publishes it."
    ) in preview_text(preview)


def test_preview_of_a_draft_year_mentions_no_new_or_published_edition(importer):
    text = preview_text(upload(importer, csv_file(JUMP[1], header=TEXT_HEADER)))

    assert "has no edition yet" not in text
    assert "the published" not in text


def test_preview_says_how_many_rows_change_each_published_edition(published_importer):
    rows = (
        f'2023,MN,{REPORTS},9000,,"{SOURCE}",',
        f'2023,WI,{REPORTS},1200,,"{SOURCE}",',
        f'2023,IA,{REPORTS},900,,"{SOURCE}",',
        f'2022,MN,{REPORTS},8611,,"{SOURCE}",',
    )
    preview = upload(
        published_importer, csv_file(*rows, header=TEXT_HEADER), reason="NCMEC's new figures"
    )

    text = preview_text(preview)
    assert "3 rows change the published 2023 edition: they are staged for a Publisher" in text
    assert "2022 has no edition yet" in text
    kinds = [row.import_type for row in preview.context["result"].rows]
    assert kinds.count(RowResult.IMPORT_TYPE_NEW) == 3


def test_preview_writes_a_real_years_counts_with_thousands_separators(importer):
    """Every state's figure of 19 metrics: 1,064 rows, as a year's file for every fact
    sheet; each without a source, where another figure of its metric gives one."""
    metrics = [make_metric() for _ in range(19)]
    states = list(State.objects.all())
    for metric in metrics:
        make_figure(metric, year=2021, state=states[0], value=5, source="A source")
    rows = [f"2022,{state.code},{metric.key},5" for metric in metrics for state in states]

    text = preview_text(upload(importer, csv_file(*rows)))

    assert "1,064 new, 0 changed, 0 unchanged, 0 errors." in text
    assert "1,064 figures to check before you confirm:" in text
    assert "the first of the new and unchanged ones (1,000 rows in all)." in text
    assert "The rows of figures.csv (1,000 of 1,064)" in text
