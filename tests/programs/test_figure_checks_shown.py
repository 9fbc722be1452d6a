"""Where staff read the checks' flags (programs/figure_checks), besides the import preview
and the Publisher's confirmation: the figure form, staging a correction, and the
``import_figures`` command. A flag never refuses: the figure is saved all the same.

(Here rather than in test_admin.py and test_import_command.py, which are near the
400-line limit.)"""

import io

import pytest
from django.core.management import call_command

from programs.models import Edition, Figure, PendingChange
from programs.publishing import edition_publish
from tests.conftest import once_per_module, page_text
from tests.programs.check_helpers import SOURCE, build_checked_year

data = once_per_module(build_checked_year, "data")

JUMP = (
    "Reports in the state, Minnesota, 2023: 5,000 is 5.0 times 2022's 1,000 (more than 3 "
    "times, or less than 1/3 of, the year before: a digit typed twice or dropped?)."
)


@pytest.fixture
def year(data, db):
    return data


def minnesota_reports(year, y=2023):
    return Figure.objects.get(metric=year.reports, year=y, state=year.minnesota)


def form_data(figure, **fields):
    return {
        "metric": figure.metric_id, "year": figure.year, "state": figure.state_id or "",
        "value": figure.value, "qualifier": figure.qualifier, "source": figure.source,
        "note": figure.note, "change_reason": "", **fields,
    }  # fmt: skip


def warnings(response):
    return [m.message for m in response.context["messages"] if m.level_tag == "warning"]


# The figure form


def test_the_figure_page_says_no_check_found_anything(year, admin_client):
    figure = minnesota_reports(year)

    text = page_text(admin_client.get(f"/admin/programs/figure/{figure.pk}/change/"))

    assert "Checks: None found." in text


def test_the_figure_page_shows_each_flag_of_the_figure(year, admin_client):
    figure = minnesota_reports(year)
    Figure.objects.filter(pk=figure.pk).update(value=5_000)

    response = admin_client.get(f"/admin/programs/figure/{figure.pk}/change/")

    assert JUMP in page_text(response)
    assert "None found" not in page_text(response)


def test_saving_a_flagged_figure_saves_it_and_warns_once_per_flag(year, admin_client):
    figure = minnesota_reports(year)

    response = admin_client.post(
        f"/admin/programs/figure/{figure.pk}/change/", form_data(figure, value="5000"),
        follow=True,
    )  # fmt: skip

    assert minnesota_reports(year).value == 5_000
    assert warnings(response) == [
        JUMP,
        "Reports in the state, Minnesota, 2023: 500.0 per 100,000 residents (5,000 among "
        "1,000,000) is 4.7 times the median of the 12 states' rates that year, 105.5; more "
        "than 3 times is unusual: a digit typed twice, or the wrong population?",
    ]
    assert JUMP in page_text(response)


def test_saving_a_clean_figure_warns_of_nothing(year, admin_client):
    figure = minnesota_reports(year)

    response = admin_client.post(
        f"/admin/programs/figure/{figure.pk}/change/", form_data(figure, value="1101"),
        follow=True,
    )  # fmt: skip

    assert minnesota_reports(year).value == 1_101
    assert warnings(response) == []


# Staging a correction to a published figure


def test_staging_a_flagged_correction_stages_it_and_warns(year, admin_client):
    edition_publish(edition=Edition.objects.get(year=2023))
    figure = minnesota_reports(year)
    data = {**form_data(figure, value="5000"), "reason": "NCMEC corrected it."}

    response = admin_client.post("/admin/programs/pendingchange/add/", data, follow=True)

    assert PendingChange.objects.get().value == 5_000
    assert minnesota_reports(year).value == 1_100  # readers keep the published figure
    assert JUMP in warnings(response)


# The import_figures command


def run(*args):
    out = io.StringIO()
    call_command("import_figures", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_prints_the_files_flags_after_its_summary(year, tmp_path, dry_run):
    path = tmp_path / "figures.csv"
    rows = [
        "year,state,metric,value,source",
        f"2023,MN,{year.reports.key},5000,{SOURCE}",
        f"2023,WI,{year.reports.key},1110,{SOURCE}",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    lines = run(str(path), *(["--dry-run"] if dry_run else []))

    saved = "would be saved" if dry_run else "saved"
    assert lines[0].startswith(f"{'Dry run: ' if dry_run else ''}figures.csv: 1 changed figure ")
    assert saved in lines[0]
    assert lines[1:] == [f"Check: Row 2: {JUMP}", lines[2]]
    assert lines[2].startswith("Check: Row 2: Reports in the state, Minnesota, 2023: 500.0 per")
    assert minnesota_reports(year).value == (1_100 if dry_run else 5_000)


def test_the_command_prints_no_check_for_a_clean_file(year, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(f"year,state,metric,value\n2023,MN,{year.reports.key},1101\n")

    assert len(run(str(path))) == 1
