"""A figure's history in the admin: an edit is in it with who, when, the old and the new
value and why; a published figure is view-only, pointing to a correction; an earlier
value can be restored (never a published figure's); a refused edit names the figure as
saved.
"""

import pytest

from programs.models import Figure, Metric, public_change
from tests.conftest import make_figure
from tests.programs.history_helpers import (
    REASON,
    REPORTS,
    history_url,
    is_recent,
    title_and_breadcrumb,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixture (tests/programs/history_helpers.py) this module's tests use.


@pytest.fixture
def published_figure(demo, minnesota):
    """The demo's 8,611 CyberTipline reports in Minnesota, 2023 (a published edition)."""
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


def edit(client, figure, **fields):
    return client.post(change_url(figure), figure_form(figure, **fields))


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
    assert "8,611" in text  # as the site writes a count, never the column's "8611.00"
    assert "9,000" in text
    assert "Demo data (NCMEC&#x27;s published figures)" in text


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


# A refused edit


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
