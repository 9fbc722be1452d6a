"""What the tests of corrections share (tests/programs/test_revisions_*.py): the demo's
published Minnesota figure, staging a correction to it in the admin as staff do,
publishing as a Publisher does, and a correction already published.

Its fixtures reach the tests through tests/programs/conftest.py.
"""

import pytest
from django.urls import reverse

from programs.models import Edition, Figure, Revision
from tests.conftest import confirm_editions_action

REPORTS = "cybertipline-reports-to-law-enforcement"
FACT_SHEET = "/states/minnesota/2023/"
ADD_PENDING = reverse("admin:programs_pendingchange_add")
EDITIONS = reverse("admin:programs_edition_changelist")
REASON = "NCMEC corrected the count after removing duplicate reports."


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
    """The Publish action as a Publisher takes it: the confirmation page, then Yes, having
    ticked that they checked the flags if it lists any (a figure with no source, say)."""
    selected = {"action": "publish", "_selected_action": [Edition.objects.get(year=year).pk]}
    return confirm_editions_action(client, selected, summary=summary, flags_checked="checked")


@pytest.fixture
def published_correction(editor, publisher, reports):
    """8,611 → 8,700 staged by an Editor, published by a Publisher with a summary."""
    stage(editor, reports, value="8700")
    response = publish_pending(publisher, summary="Duplicates removed from the 2023 count.")
    assert response.status_code == 302
    return Revision.objects.get()
