"""A program's and an edition's history: a program edited in the admin, an edition
published in the admin or on schedule; a refused program edit names the program as saved,
and a change without a reason says so, never "None".
"""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from programs.models import Edition
from tests.conftest import confirm_editions_action, make_program, page_text
from tests.programs.history_helpers import history_url, title_and_breadcrumb

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

    response = confirm_editions_action(
        admin_client,
        {"action": "publish", "_selected_action": [edition.pk]},
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
