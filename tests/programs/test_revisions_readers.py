"""Published corrections as readers see them: the new value marked "revised" beside the
figure, linking to its revision note (the date, each old and new value, the reason);
/revisions/ and its Atom feed (valid, escaping what staff wrote, linked from every page);
a withdrawn figure; notes of an unpublished year or program hidden; the mark lost when
the figure is changed by hand after an unpublish.
"""

import xml.etree.ElementTree as ET

import pytest

from programs.models import Edition, PendingChange, Program, Revision, public_change
from programs.publishing import edition_publish, edition_unpublish
from tests.conftest import page_text
from tests.programs.revision_helpers import (
    FACT_SHEET,
    REASON,
    REPORTS,
    publish_pending,
    stage,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixtures (tests/programs/revision_helpers.py) this module's tests use.

ATOM = "{http://www.w3.org/2005/Atom}"


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
