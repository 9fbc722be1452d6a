"""Corrections to a published year, as staff make them and readers see them: staged by an
Editor, previewed, published by a Publisher with a revision note (or discarded), marked
"revised" beside the figure, listed at /revisions/ and in its Atom feed."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.corrections import Proposal, pending_changes_stage
from programs.models import (
    Edition,
    Figure,
    Metric,
    PendingChange,
    Program,
    Revision,
    public_change,
)
from programs.publishing import edition_publish, edition_unpublish
from states.models import State
from tests.conftest import make_figure, page_text, signed_in

REPORTS = "cybertipline-reports-to-law-enforcement"
FACT_SHEET = "/states/minnesota/2023/"
ADD_PENDING = reverse("admin:programs_pendingchange_add")
EDITIONS = reverse("admin:programs_edition_changelist")
REASON = "NCMEC corrected the count after removing duplicate reports."
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def reports(demo, minnesota):
    """Minnesota's published 2023 CyberTipline figure: 8,611."""
    return Figure.objects.get(metric__key=REPORTS, year=2023, state=minnesota)


def stage(client, figure, **fields):
    """Post the admin's pending-change form for ``figure`` as a staff member would."""
    data = {
        "metric": figure.metric_id,
        "year": figure.year,
        "state": figure.state_id or "",
        "value": figure.value,
        "qualifier": figure.qualifier,
        "source": figure.source,
        "note": figure.note,
        "reason": REASON,
        **fields,
    }
    return client.post(ADD_PENDING, data)


def publish_pending(client, year=2023, summary=""):
    """The Publish action as a Publisher takes it: the confirmation page, then Yes."""
    selected = {"action": "publish", "_selected_action": [Edition.objects.get(year=year).pk]}
    confirmation = client.post(EDITIONS, selected)
    reviewed = re.findall(r'name="reviewed" value="([^"]+)"', confirmation.content.decode())
    return client.post(
        EDITIONS, {**selected, "confirmed": "yes", "summary": summary, "reviewed": reviewed}
    )


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


# Publishing


@pytest.fixture
def published_correction(editor, publisher, reports):
    """8,611 → 8,700 staged by an Editor, published by a Publisher with a summary."""
    stage(editor, reports, value="8700")
    response = publish_pending(publisher, summary="Duplicates removed from the 2023 count.")
    assert response.status_code == 302
    return Revision.objects.get()


def test_publishing_makes_the_correction_public_with_a_revised_mark_linking_to_its_note(
    published_correction, client
):
    response = client.get(FACT_SHEET)
    text = page_text(response)

    assert "In 2023, 8,700 CyberTipline reports were made available" in text
    assert "8,611" not in text
    note_url = f"/revisions/{published_correction.pk}/#{REPORTS}-MN"
    assert f'<a class="revised-mark" href="{note_url}">' in response.content.decode()
    assert f"revised {published_correction.date_label}" in text
    assert not PendingChange.objects.exists()


def test_the_revision_note_gives_the_date_each_old_and_new_value_and_the_reason(
    published_correction, client
):
    response = client.get(published_correction.get_absolute_url())
    text = page_text(response)

    assert response.status_code == 200
    assert f"Revision to the 2023 figures, {published_correction.date_label}" in text
    assert "Duplicates removed from the 2023 count." in text
    assert f"Minnesota Reports made available to law enforcement 8,611 → 8,700 {REASON}" in text
    assert f'<tr id="{REPORTS}-MN">' in response.content.decode()


def test_the_figures_history_records_the_correction_with_who_staged_it_and_why(
    published_correction, reports, editor
):
    latest = reports.history.order_by("-history_date").first()

    assert latest.value == 8700
    assert latest.history_change_reason == REASON
    assert latest.history_user == editor.user


def test_the_revisions_page_lists_every_note_newest_first(
    published_correction, editor, publisher, reports, client
):
    reports.refresh_from_db()
    stage(editor, reports, value="8750", reason="A second correction.")
    publish_pending(publisher)

    response = client.get("/revisions/")
    text = page_text(response)

    assert response.status_code == 200
    assert text.index("8,700 → 8,750") < text.index("8,611 → 8,700")
    assert "A second correction." in text


def test_the_atom_feed_is_valid_and_has_an_entry_per_note(published_correction, client):
    response = client.get("/revisions/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed and of each entry.
    for element in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{element}") is not None, element
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for element in ("id", "title", "updated", "link"):
        assert entry.find(f"{ATOM}{element}") is not None, element
    assert entry.find(f"{ATOM}link").get("href").endswith(published_correction.get_absolute_url())
    assert "8,611 → 8,700" in entry.find(f"{ATOM}summary").text


def test_every_page_points_feed_readers_to_the_revisions_feed(demo, client):
    content = client.get("/").content.decode()

    assert '<link rel="alternate" type="application/atom+xml"' in content
    assert 'href="/revisions/feed/"' in content


def test_a_withdrawn_figure_reads_no_figure_and_its_note_says_withdrawn(
    editor, publisher, reports, client
):
    response = stage(editor, reports, withdraw="on", value="")
    assert response.status_code == 302
    publish_pending(publisher)

    text = page_text(client.get("/programs/cybertipline/2023/"))
    note = page_text(client.get(Revision.objects.get().get_absolute_url()))

    assert "8,611" not in text
    assert "8,611 → withdrawn" in note


def test_notes_of_an_unpublished_year_or_program_are_hidden_from_readers(
    published_correction, client
):
    edition_unpublish(edition=Edition.objects.get(year=2023))

    assert client.get(published_correction.get_absolute_url()).status_code == 404
    assert "8,700" not in page_text(client.get("/revisions/"))
    assert "8,700" not in client.get("/revisions/feed/").content.decode()


def test_notes_about_a_program_taken_off_the_site_are_hidden(published_correction, client):
    program = Program.objects.get(slug="cybertipline")
    program.is_published = False
    with public_change():
        program.save()

    assert client.get(published_correction.get_absolute_url()).status_code == 404
    assert "8,700" not in page_text(client.get("/revisions/"))


def test_the_revisions_page_says_so_when_nothing_was_revised(demo, client):
    text = page_text(client.get("/revisions/"))

    assert "No published figure has been revised yet." in text


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


# From the command line


def test_publish_edition_publishes_a_draft_year(demo, minnesota, client):
    make_figure(
        Metric.objects.get(key=REPORTS), year=2024, state=minnesota, value=9100, draft=True
    )
    out = StringIO()

    call_command("publish_edition", "2024", "--reason", "The 2024 figures are final.", stdout=out)

    assert "Published the 2024 edition." in out.getvalue()
    assert Edition.objects.get(year=2024).is_published
    assert "9,100" in page_text(client.get("/states/minnesota/2024/"))
    record = Edition.objects.get(year=2024).history.order_by("-history_date").first()
    assert record.history_change_reason == "The 2024 figures are final."


def test_publish_edition_publishes_the_pending_changes_of_a_published_year(
    editor, reports, client
):
    stage(editor, reports, value="8700")
    out = StringIO()

    call_command("publish_edition", "2023", "--reason", "Duplicates removed.", stdout=out)

    revision = Revision.objects.get()
    assert "Published the pending changes of 2023: 1 figure revised" in out.getvalue()
    assert revision.summary == "Duplicates removed."
    assert "8,700" in page_text(client.get(FACT_SHEET))


def test_publish_edition_with_nothing_to_publish_says_so_and_changes_nothing(demo):
    out = StringIO()

    call_command("publish_edition", "2023", stdout=out)

    assert "already published and has no pending changes" in out.getvalue()
    assert not Revision.objects.exists()


def test_publish_edition_of_a_year_without_an_edition_fails_with_a_sentence(demo):
    with pytest.raises(CommandError, match="There is no 2031 edition. Editions: 2023."):
        call_command("publish_edition", "2031")


def test_a_staged_figure_someone_added_meanwhile_is_published_as_a_change(
    editor, publisher, reports, client
):
    """The note says what readers see happen, from the figure as it stands when published."""
    wisconsin = State.objects.get(code="WI")
    editor.post(
        ADD_PENDING,
        {"metric": reports.metric_id, "year": 2023, "state": wisconsin.pk, "value": "4100",
         "qualifier": "", "reason": REASON},
    )  # fmt: skip
    with public_change():  # the system adds the same figure directly
        Figure.objects.create(metric=reports.metric, year=2023, state=wisconsin, value=1)

    response = publish_pending(publisher)

    assert response.status_code == 302
    assert Figure.objects.get(metric=reports.metric, year=2023, state=wisconsin).value == 4100
    revised = Revision.objects.get().figures.get()
    assert (revised.action, revised.old_value, revised.new_value) == ("change", 1, 4100)


def test_changes_staged_after_the_publisher_looked_are_not_published(
    editor, publisher, reports, client
):
    selected = {"action": "publish", "_selected_action": [Edition.objects.get(year=2023).pk]}
    stage(editor, reports, value="8700")
    confirmation = publisher.post(EDITIONS, selected)
    reviewed = re.findall(r'name="reviewed" value="([^"]+)"', confirmation.content.decode())
    # Restaged (as an import would) while the Publisher reads the page.
    proposal = Proposal(reports.metric, 2023, reports.state, reports, value=Decimal(9999))
    pending_changes_stage(proposals=[proposal], reason="Another correction")

    response = publisher.post(EDITIONS, {**selected, "confirmed": "yes", "reviewed": reviewed})

    assert not Revision.objects.exists()
    assert "9,999" not in page_text(client.get(FACT_SHEET))
    messages = page_text(publisher.get(response["Location"]))
    assert "The pending changes of 2023 changed while you were reviewing them" in messages


def test_the_feed_escapes_what_staff_wrote(editor, publisher, reports, client):
    stage(editor, reports, value="8700", reason="<script>alert(1)</script> fixed")
    publish_pending(publisher, summary="<img src=x onerror=alert(2)>")

    summary = ET.fromstring(client.get("/revisions/feed/").content).find(
        f"{ATOM}entry/{ATOM}summary"
    )

    # The summary is HTML: what staff wrote must arrive as text, never as markup.
    assert "<script>" not in summary.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fixed" in summary.text
    assert "&lt;img src=x onerror=alert(2)&gt;" in summary.text


def test_a_figure_changed_by_hand_after_an_unpublish_loses_its_revised_mark(
    published_correction, reports, client
):
    edition_unpublish(edition=Edition.objects.get(year=2023))
    reports.refresh_from_db()
    reports.value = 8800
    with public_change():
        reports.save()

    edition_publish(edition=Edition.objects.get(year=2023))

    content = client.get(FACT_SHEET).content.decode()
    assert "8,800" in content
    assert "revised-mark" not in content


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
