"""Corrections to a published year before they are published: staged by an Editor with
a reason while readers keep the published value, previewed by staff, listed for the
Publisher; an Editor may neither publish nor discard them, and may take back only their
own; a Publisher may discard them, and nothing reaches readers.
"""

import pytest
from django.urls import reverse

from programs.models import Edition, Figure, Metric, PendingChange, Revision
from states.models import State
from tests.conftest import page_text, signed_in
from tests.programs.revision_helpers import (
    ADD_PENDING,
    EDITIONS,
    FACT_SHEET,
    REASON,
    REPORTS,
    publish_pending,
    stage,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixture (tests/programs/revision_helpers.py) this module's tests use.


def start_preview(client, next_url=FACT_SHEET):
    return client.post("/preview/start/", {"next": next_url})


# Staging


def test_an_editor_stages_a_correction_and_readers_keep_the_published_value(
    editor, reports, client
):
    response = stage(editor, reports, value="8700")

    assert response.status_code == 302
    pending = PendingChange.objects.get()
    assert (pending.value, pending.reason, pending.staged_by) == (8700, REASON, editor.user)
    reports.refresh_from_db()
    assert reports.value == 8611
    text = page_text(client.get(FACT_SHEET))
    assert "In 2023, 8,611 CyberTipline reports" in text
    assert "8,700" not in text


def test_a_correction_without_a_reason_is_refused_with_the_field_named(editor, reports):
    response = stage(editor, reports, value="8700", reason="")

    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert not PendingChange.objects.exists()


def test_a_staff_preview_shows_the_staged_value_marked_as_pending(editor, reports):
    stage(editor, reports, value="8700")
    start_preview(editor)

    text = page_text(editor.get(FACT_SHEET))

    assert "In 2023, 8,700 CyberTipline reports were made available" in text
    assert "revised, pending publication" in text
    assert "8,611" not in text


def test_the_editions_admin_page_lists_each_pending_change_with_who_and_why(
    editor, publisher, reports
):
    stage(editor, reports, value="8700")
    edition = Edition.objects.get(year=2023)

    text = page_text(publisher.get(reverse("admin:programs_edition_change", args=[edition.pk])))

    assert f"Minnesota {REPORTS} value: 8,611 → 8,700 {REASON} editors" in text


def test_a_change_to_the_source_alone_is_staged_and_named_as_the_source(editor, reports):
    stage(editor, reports, source="NCMEC, corrected fact sheet")

    change = PendingChange.objects.get()
    assert [str(c) for c in change.changes()] == [
        "source: “NCMEC, Minnesota Data fact sheet, 2023” → “NCMEC, corrected fact sheet”"
    ]


def test_a_new_figure_for_a_published_year_is_staged_not_public(editor, demo, client):
    wisconsin_reports = {
        "metric": Metric.objects.get(key=REPORTS).pk,
        "year": 2023,
        "state": State.objects.get(code="WI").pk,
    }
    response = editor.post(
        ADD_PENDING, {**wisconsin_reports, "value": "4100", "qualifier": "", "reason": REASON}
    )

    assert response.status_code == 302
    assert PendingChange.objects.get().action == "add"
    assert not Figure.objects.filter(state__code="WI").exists()
    assert "4,100" not in page_text(client.get("/states/wisconsin/2023/"))


def test_an_editor_cannot_publish_or_discard_pending_changes(editor, reports, client):
    stage(editor, reports, value="8700")

    response = publish_pending(editor)
    editor.post(
        EDITIONS,
        {
            "action": "discard_pending",
            "_selected_action": [Edition.objects.get(year=2023).pk],
            "confirmed": "yes",
        },
    )

    assert response.status_code in (200, 403)
    assert PendingChange.objects.count() == 1
    assert not Revision.objects.exists()
    assert "8,700" not in page_text(client.get(FACT_SHEET))


# Discarding


def test_a_publisher_discards_pending_changes_and_nothing_reaches_readers(
    editor, publisher, reports, client
):
    stage(editor, reports, value="8700")

    response = publisher.post(
        EDITIONS,
        {
            "action": "discard_pending",
            "_selected_action": [Edition.objects.get(year=2023).pk],
            "confirmed": "yes",
        },
    )
    start_preview(editor)

    assert response.status_code == 302
    assert not PendingChange.objects.exists()
    assert not Revision.objects.exists()
    assert "8,700" not in page_text(client.get(FACT_SHEET))
    assert "8,700" not in page_text(editor.get(FACT_SHEET))


# Taking back a staged change, and the form's address


def test_an_editor_may_take_back_their_own_staged_change_but_not_anothers(editor, reports):
    other = signed_in("other-editor", "Editors")
    stage(other, reports, value="8700")
    pending = PendingChange.objects.get()
    url = reverse("admin:programs_pendingchange_delete", args=[pending.pk])

    refused = editor.post(url, {"post": "yes"})
    taken_back = other.post(url, {"post": "yes"})

    assert refused.status_code == 403
    assert taken_back.status_code == 302
    assert not PendingChange.objects.exists()


def test_the_correction_form_ignores_a_figure_address_that_is_not_a_figure(editor, demo):
    for wanted in ("abc", "99999999999999999999999", "-1"):
        response = editor.get(ADD_PENDING, {"figure": wanted})

        assert response.status_code == 200
