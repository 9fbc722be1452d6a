"""Publishing corrections: the figure's history says who staged one and why; the
``publish_edition`` command publishes a draft year or a published year's pending changes
(and says when there is nothing to publish, or no such edition); a figure someone added
meanwhile is published as a change, and changes staged after the Publisher looked are not
published.
"""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from programs.corrections import Proposal, pending_changes_stage
from programs.models import Edition, Figure, Metric, Revision, public_change
from states.models import State
from tests.conftest import make_figure, page_text
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


# The shared fixtures (tests/programs/revision_helpers.py) this module's tests use.


def test_the_figures_history_records_the_correction_with_who_staged_it_and_why(
    published_correction, reports, editor
):
    latest = reports.history.order_by("-history_date").first()

    assert latest.value == 8700
    assert latest.history_change_reason == REASON
    assert latest.history_user == editor.user


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


# What changed while the Publisher reviewed


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

    shown = re.findall(r'name="shown" value="([^"]+)"', confirmation.content.decode())
    response = publisher.post(
        EDITIONS, {**selected, "confirmed": "yes", "reviewed": reviewed, "shown": shown}
    )

    assert not Revision.objects.exists()
    assert "9,999" not in page_text(client.get(FACT_SHEET))
    messages = page_text(publisher.get(response["Location"]))
    assert "The pending changes of 2023 changed while you were reviewing them" in messages
