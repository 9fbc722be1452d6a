"""Every change to what the public sees, or may see, leaves a line in the log saying who
did what: a publish (scheduled or by a Publisher), a correction staged, published or
discarded, an import. Taken as staff take them, in the admin; the lines are the records
the site's loggers write (tests/test_logs.py reads them as written)."""

import io
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from programs.corrections import pending_changes_discard
from programs.models import Edition
from tests.conftest import confirm_editions_action
from tests.programs.import_helpers import GOOD_ROW, confirm, csv_file, upload
from tests.programs.revision_helpers import REASON, publish_pending, stage


@pytest.fixture
def events(caplog):
    """The site's event records (those with an ``event``) written during the test."""
    caplog.set_level(logging.INFO, logger="programs")

    def written(name=None):
        found = [r for r in caplog.records if hasattr(r, "event")]
        return [r for r in found if r.event == name] if name else found

    return written


def _fields(record, *names):
    return tuple(getattr(record, name) for name in names)


def test_a_publisher_publishing_an_edition_is_logged(demo_draft, publisher, events):
    edition = Edition.objects.get(year=2023)

    confirm_editions_action(
        publisher, {"action": "publish", "_selected_action": [edition.pk]}, flags_checked="1"
    )

    (published,) = events("edition.published")
    assert _fields(published, "user", "year") == ("publishers", 2023)
    assert published.getMessage() == "publishers published the 2023 edition (Published)."
    assert published.levelno == logging.INFO


def test_a_scheduled_publish_is_logged_as_the_systems(demo_draft, events):
    Edition.objects.filter(year=2023).update(publish_at=timezone.now())

    call_command("publish_due_editions", stdout=io.StringIO())

    (published,) = events("edition.published")
    assert _fields(published, "user", "year") == ("system", 2023)
    assert "Published as scheduled" in published.getMessage()


def test_a_correction_staged_then_published_is_logged_with_who_did_each(
    editor, publisher, reports, events
):
    stage(editor, reports, value="8700")
    publish_pending(publisher)

    (staged,) = events("correction.staged")
    assert _fields(staged, "user", "years", "staged", "reason") == (
        "editors",
        [2023],
        1,
        REASON,
    )
    (published,) = events("correction.published")
    assert _fields(published, "user", "year", "figures") == ("publishers", 2023, 1)
    assert published.getMessage() == "publishers published 1 correction(s) to the 2023 edition."


def test_discarding_corrections_is_logged(editor, publisher, reports, events):
    stage(editor, reports, value="8700")

    pending_changes_discard(year=2023, user=publisher.user)

    (discarded,) = events("correction.discarded")
    assert _fields(discarded, "user", "year", "discarded") == ("publishers", 2023, 1)


def test_an_import_is_logged_with_its_file_and_what_it_changed(importer, events):
    confirm(importer, upload(importer, csv_file(GOOD_ROW), file_name="wisconsin.csv"))

    (imported,) = events("figures.imported")
    assert _fields(imported, "user", "file_name", "years", "rows", "new", "changed") == (
        "staff",
        "wisconsin.csv",
        [2023],
        1,
        1,
        0,
    )
    assert imported.getMessage().startswith("staff imported wisconsin.csv: 1 new, 0 changed")


def test_a_preview_and_a_refused_file_log_no_import(importer, events):
    upload(importer, csv_file(GOOD_ROW))  # the preview: a dry run
    upload(importer, csv_file("2023,WI,no-such-metric,1"))

    assert events("figures.imported") == []
