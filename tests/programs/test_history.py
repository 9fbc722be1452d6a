"""Every change to a figure, a program or an edition is in its history: who, when, the old
and the new value, and why, whichever path it came by (the admin, an import, a command)."""

import datetime
import html
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from programs.figure_files import read_table
from programs.importing import figures_import
from programs.models import Edition, Figure, Metric, Program, public_change
from tests.conftest import make_figure, make_program, page_text

REPORTS = "cybertipline-reports-to-law-enforcement"
REASON = "NCMEC corrected the 2023 count"


@pytest.fixture
def published_figure(demo, minnesota):
    """The demo's 8,611 CyberTipline reports in Minnesota, 2023 (a published edition)."""
    return Figure.objects.get(metric__key=REPORTS, year=2023, state=minnesota)


@pytest.fixture
def draft_figure(demo_draft, minnesota):
    """The same figure, with 2023 a draft edition: staff change it directly."""
    return Figure.objects.get(metric__key=REPORTS, year=2023, state=minnesota)


def figure_form(figure, **fields):
    """The admin change form's data for a figure, as saved, with some fields changed."""
    return {
        "metric": figure.metric_id,
        "year": figure.year,
        "state": figure.state_id or "",
        "value": str(figure.value),
        "qualifier": figure.qualifier,
        "source": figure.source,
        "note": figure.note,
        "change_reason": "",
        **fields,
    }


def change_url(figure):
    return f"/admin/programs/figure/{figure.pk}/change/"


def history_url(obj):
    return f"/admin/programs/{obj._meta.model_name}/{obj.pk}/history/"


def edit(client, figure, **fields):
    return client.post(change_url(figure), figure_form(figure, **fields))


def is_recent(moment):
    return timezone.now() - moment < datetime.timedelta(minutes=1)


# Figures edited in the admin


def test_a_figure_edited_in_the_admin_is_in_its_history_with_who_when_and_why(
    draft_figure, admin_client, admin_user
):
    response = edit(admin_client, draft_figure, value="9000", change_reason=REASON)

    assert response.status_code == 302
    latest = draft_figure.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user
    assert is_recent(latest.history_date)
    assert latest.history_change_reason == REASON
    assert (latest.prev_record.value, latest.value) == (8611, 9000)


def test_the_admin_history_page_shows_who_the_reason_and_the_old_and_new_value(
    draft_figure, admin_client
):
    edit(admin_client, draft_figure, value="9000", change_reason=REASON)

    page = admin_client.get(history_url(draft_figure))

    text = page.content.decode()
    assert page.status_code == 200
    assert REASON in text
    assert "admin" in text
    assert "8611" in text
    assert "9000" in text
    assert "Demo data (the seed&#x27;s Minnesota 2023 fact sheet)" in text


def test_a_published_figure_is_view_only_in_the_admin_and_points_to_a_correction(
    published_figure, admin_client
):
    page = admin_client.get(change_url(published_figure))

    text = page.content.decode()
    assert page.status_code == 200
    assert "View figure" in text
    assert 'name="value"' not in text
    assert f"/admin/programs/pendingchange/add/?figure={published_figure.pk}" in text


def test_a_post_to_a_published_figure_is_refused_and_saves_nothing(published_figure, admin_client):
    records = published_figure.history.count()

    response = edit(admin_client, published_figure, value="9000", change_reason=REASON)

    assert response.status_code == 403
    published_figure.refresh_from_db()
    assert published_figure.value == 8611
    assert published_figure.history.count() == records


def test_editing_a_draft_figure_needs_no_reason(demo, admin_client, admin_user):
    draft = make_figure(
        Metric.objects.get(key="team-adam-incidents"), year=2024, value=60, draft=True
    )

    response = edit(admin_client, draft, value="61")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.value == 61
    latest = draft.history.first()
    assert (latest.history_type, latest.history_user, latest.value) == ("~", admin_user, 61)
    assert latest.history_change_reason is None


def test_moving_a_draft_figure_into_a_published_year_is_refused_with_a_way_to_stage_it(
    demo, admin_client
):
    draft = make_figure(
        Metric.objects.get(key="team-adam-incidents"), year=2024, value=60, draft=True
    )
    with public_change():
        Figure.objects.filter(metric__key="team-adam-incidents", year=2023).delete()

    response = edit(admin_client, draft, year="2023")

    (error,) = response.context["adminform"].form.non_field_errors()
    assert error.startswith("The 2023 edition is published and readers see “Team Adam”")
    assert "/admin/programs/pendingchange/add/?" in error
    draft.refresh_from_db()
    assert draft.year == 2024


# Restoring an earlier value


def revert_url(figure, record):
    return f"{history_url(figure)}{record.history_id}/"


def test_restoring_an_earlier_value_brings_it_back_and_is_in_the_history(
    draft_figure, admin_client, admin_user
):
    edit(admin_client, draft_figure, value="9000", change_reason=REASON)
    original = draft_figure.history.earliest()

    form = admin_client.get(revert_url(draft_figure, original))
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["value"] == 8611
    response = admin_client.post(
        revert_url(draft_figure, original),
        figure_form(original, change_reason="Back to the first count"),
    )

    assert response.status_code == 302
    draft_figure.refresh_from_db()
    assert draft_figure.value == 8611
    assert draft_figure.history.count() == 3
    latest = draft_figure.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user
    assert latest.history_change_reason == "Back to the first count"
    assert (latest.prev_record.value, latest.value) == (9000, 8611)


def test_restoring_an_old_version_of_a_published_figure_is_refused(published_figure, admin_client):
    with public_change():  # an older value, as if staff had corrected it before
        published_figure.value = 8000
        published_figure.save()
    original = published_figure.history.earliest()

    response = admin_client.post(revert_url(published_figure, original), figure_form(original))

    assert response.status_code == 403
    published_figure.refresh_from_db()
    assert published_figure.value == 8000


# Imports and commands


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
        "Imported from ncmec-figures-2023.csv: Demo data (the seed's Minnesota 2023 fact sheet)"
    )
    (created,) = Metric.objects.get(key=REPORTS).history.all()
    assert created.history_change_reason == "Demo data (the seed's Minnesota 2023 fact sheet)"
    for model in (Figure, Metric, Program):
        assert model.history.count() == model.objects.count()
    assert [e.history_change_reason for e in Edition.history.order_by("history_id")] == [
        "Demo data (the seed's Minnesota 2023 fact sheet)"
    ] * 2  # created as a draft, then published


# Programs and editions


def test_a_program_edited_in_the_admin_is_in_its_history(db, admin_client, admin_user):
    program = make_program(summary="The old summary.")

    response = admin_client.post(
        f"/admin/programs/program/{program.pk}/change/",
        {
            "name": program.name,
            "slug": program.slug,
            "work_area": program.work_area,
            "summary": "The new summary.",
            "body": "",
            "position": program.position,
            "is_published": "on",
            "metrics-TOTAL_FORMS": "0",
            "metrics-INITIAL_FORMS": "0",
            "metrics-MIN_NUM_FORMS": "0",
            "metrics-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    latest = program.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user
    assert (latest.prev_record.summary, latest.summary) == ("The old summary.", "The new summary.")
    page = admin_client.get(history_url(program)).content.decode()
    assert "The old summary." in page
    assert "The new summary." in page


def test_publishing_an_edition_is_in_its_history_with_the_user(db, admin_client, admin_user):
    edition = Edition.objects.create(year=2024)

    response = admin_client.post(
        "/admin/programs/edition/",
        {"action": "publish", "_selected_action": [edition.pk], "confirmed": "yes"},
    )

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.is_published
    latest = edition.history.first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "published",
        admin_user,
        "Published",
    )
    assert latest.prev_record.status == "draft"
    page = admin_client.get(history_url(edition)).content.decode()
    assert "Published" in page
    assert "admin" in page


def test_a_scheduled_publication_is_in_the_editions_history(db):
    edition = Edition.objects.create(
        year=2024, publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    call_command("publish_due_editions", stdout=io.StringIO())

    latest = edition.history.first()
    assert (latest.status, latest.history_user) == ("published", None)
    assert latest.history_change_reason == "Published as scheduled"


# A refused edit, and a change without a reason


def title_and_breadcrumb(response):
    """The page's <title> and its breadcrumb trail, as text."""
    page = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    return html.unescape(title), page_text(crumbs)


def program_form(program, **fields):
    return {
        "name": program.name,
        "slug": program.slug,
        "work_area": program.work_area,
        "summary": program.summary,
        "body": "",
        "position": program.position,
        "is_published": "on",
        "metrics-TOTAL_FORMS": "0",
        "metrics-INITIAL_FORMS": "0",
        "metrics-MIN_NUM_FORMS": "0",
        "metrics-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_a_refused_figure_edit_names_the_saved_figure_in_the_title_and_breadcrumb(
    draft_figure, admin_client
):
    saved = str(draft_figure)  # "… — Minnesota, 2023: 8,611"
    records = draft_figure.history.count()

    response = edit(admin_client, draft_figure, value="9000", year="1983")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"]
    title, breadcrumb = title_and_breadcrumb(response)
    assert title.startswith(f"Error: {saved} | Change figure")
    assert breadcrumb.endswith(f"Figures › {saved}")
    assert "9,000" not in title + breadcrumb
    assert "1983" not in title + breadcrumb
    draft_figure.refresh_from_db()
    assert (draft_figure.value, draft_figure.history.count()) == (8611, records)


def test_a_refused_program_edit_names_the_saved_program_in_the_title_and_breadcrumb(
    db, admin_client
):
    program = make_program(name="Team HOPE")
    records = program.history.count()

    response = admin_client.post(
        f"/admin/programs/program/{program.pk}/change/",
        program_form(program, name="Team Rejected", slug="not a slug!"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]
    title, breadcrumb = title_and_breadcrumb(response)
    assert title.startswith("Error: Team HOPE | Change program")
    assert breadcrumb.endswith("Programs › Team HOPE")
    assert "Rejected" not in title + breadcrumb
    program.refresh_from_db()
    assert (program.name, program.history.count()) == ("Team HOPE", records)


def test_a_programs_history_writes_out_a_missing_reason_and_never_none(
    db, admin_client, admin_user
):
    program = make_program(summary="The old summary.")
    admin_client.post(
        f"/admin/programs/program/{program.pk}/change/",
        program_form(program, summary="The new summary."),
    )
    latest = program.history.first()
    assert (latest.history_user, latest.history_change_reason) == (admin_user, None)

    page = admin_client.get(history_url(program))

    text = page_text(page)
    assert page.status_code == 200
    assert text.count("No reason given") == program.history.count() == 2
    assert "None" not in text
    for record in program.history.all():  # each version's own page
        version = admin_client.get(f"{history_url(program)}{record.history_id}/")
        assert version.status_code == 200
        assert b"None" not in version.content
