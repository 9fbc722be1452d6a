"""Publishing an edition: the service, the admin's confirmation, the schedule and its
command, and the history that says who did it."""

import datetime
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from programs.models import Edition, Figure, Metric
from programs.publishing import (
    edition_publish,
    edition_unpublish,
    editions_impact,
    editions_publish_due,
)
from tests.conftest import add_draft_2024, make_edition, make_figure, page_text


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


EDITIONS_URL = reverse("admin:programs_edition_changelist")
ADD_EDITION_URL = reverse("admin:programs_edition_add")
DRAFT_SENTENCE = "In 2024, 4,321 things happened."
HOUR = datetime.timedelta(hours=1)


def hidden_fields(response):
    """The hidden inputs of a page's form, as a browser would post them back."""
    data = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.content.decode()
    ):
        data.setdefault(name, []).append(value)
    return data


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def years(demo, minnesota):
    """2022 and 2023 published (the demo's 2023), 2024 a draft of three figures."""
    make_figure(
        Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
        year=2022,
        state=minnesota,
        value=7000,
    )
    add_draft_2024(minnesota)
    return SimpleNamespace(
        y2022=Edition.objects.get(year=2022),
        y2023=Edition.objects.get(year=2023),
        y2024=Edition.objects.get(year=2024),
    )


def run_action(client, action, *editions, confirmed=False):
    data = {"action": action, "_selected_action": [e.pk for e in editions]}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(EDITIONS_URL, data)


# The service


def test_publishing_a_draft_makes_its_figures_public(years):
    assert not Figure.objects.published().for_year(2024).exists()
    before = timezone.now()

    assert edition_publish(edition=years.y2024) is True

    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.PUBLISHED
    assert before <= years.y2024.published_at <= timezone.now()
    assert Figure.objects.published().for_year(2024).count() == 3


def test_publishing_a_published_edition_again_changes_nothing(years):
    published_at = years.y2023.published_at
    history = years.y2023.history.count()

    assert edition_publish(edition=years.y2023) is False

    years.y2023.refresh_from_db()
    assert years.y2023.published_at == published_at
    assert years.y2023.history.count() == history


def test_unpublishing_takes_the_figures_back_to_draft(years):
    assert edition_unpublish(edition=years.y2023) is True

    years.y2023.refresh_from_db()
    assert years.y2023.status == Edition.Status.DRAFT
    assert years.y2023.published_at is None
    assert not Figure.objects.published().for_year(2023).exists()
    assert edition_unpublish(edition=years.y2023) is False


def test_publishing_by_hand_clears_the_schedule(years):
    years.y2024.publish_at = timezone.now() + HOUR
    years.y2024.save()

    edition_publish(edition=years.y2024)

    years.y2024.refresh_from_db()
    assert years.y2024.publish_at is None


def test_the_impact_counts_figures_states_and_pending_changes_in_two_queries(
    years, django_assert_num_queries
):
    with django_assert_num_queries(2):
        impacts = editions_impact([years.y2024, years.y2022])

    assert [(i.edition.year, i.figures, i.states) for i in impacts] == [(2024, 3, 2), (2022, 1, 1)]


# The admin: ask, say what will change, act only once confirmed


def test_publish_action_asks_first_saying_which_year_and_how_many_figures(publisher, years):
    response = run_action(publisher, "publish", years.y2024)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/programs/edition/confirm_publishing.html"
    text = page_text(response)
    assert "Publish editions?" in text
    assert "2024 becomes public: 2 state figures for 2 states and 1 national figure." in text
    assert 'value="Yes, publish"' in response.content.decode()
    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.DRAFT
    assert years.y2024.published_at is None


def test_unpublish_action_asks_first_saying_what_becomes_private(publisher, years):
    response = run_action(publisher, "unpublish", years.y2023)

    state = Figure.objects.for_year(2023).filter(state__isnull=False).count()
    national = Figure.objects.for_year(2023).filter(state__isnull=True).count()
    assert (
        f"2023 becomes private again: {state} state figures for 1 state and {national} "
        "national figures."
    ) in page_text(response)
    assert 'value="Yes, unpublish"' in response.content.decode()
    years.y2023.refresh_from_db()
    assert years.y2023.is_published


def test_confirming_publishes_and_the_public_pages_show_the_figures(client, publisher, years):
    confirm_page = run_action(publisher, "publish", years.y2024)
    before = timezone.now()

    response = publisher.post(EDITIONS_URL, hidden_fields(confirm_page), follow=True)

    assert response.redirect_chain[-1][0] == EDITIONS_URL
    assert shown_messages(response) == ["Published 2024: readers see its figures now."]
    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.PUBLISHED
    assert before <= years.y2024.published_at <= timezone.now()
    client.logout()
    assert DRAFT_SENTENCE in page_text(client.get("/"))
    sheet = client.get("/states/minnesota/2024/")
    assert sheet.status_code == 200
    assert "777" in page_text(sheet)


def test_confirming_unpublish_hides_the_year_from_the_public(client, publisher, years):
    assert client.get("/states/minnesota/2023/").status_code == 200
    assert "National figures, 2023" in page_text(client.get("/"))
    confirm_page = run_action(publisher, "unpublish", years.y2023)

    response = publisher.post(EDITIONS_URL, hidden_fields(confirm_page), follow=True)

    assert shown_messages(response) == ["Unpublished 2023: readers no longer see its figures."]
    years.y2023.refresh_from_db()
    assert years.y2023.status == Edition.Status.DRAFT
    assert years.y2023.published_at is None
    client.logout()
    assert client.get("/states/minnesota/2023/").status_code == 404
    home = page_text(client.get("/"))
    assert "National figures, 2023" not in home
    assert "National figures, 2022" in home


def test_cancelling_the_confirmation_changes_nothing(publisher, years):
    confirm_page = run_action(publisher, "publish", years.y2024)

    assert f'href="{EDITIONS_URL}"' in confirm_page.content.decode()  # "No, take me back"
    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.DRAFT


def test_publishing_several_editions_lists_each_and_publishes_them_all(publisher, years):
    make_edition(2025, published=False)
    y2025 = Edition.objects.get(year=2025)

    confirm_page = run_action(publisher, "publish", years.y2024, y2025)

    text = page_text(confirm_page)
    assert "2024 becomes public: 2 state figures for 2 states and 1 national figure." in text
    assert "2025 becomes public: no figure." in text
    response = publisher.post(EDITIONS_URL, hidden_fields(confirm_page), follow=True)
    assert shown_messages(response) == ["Published 2024 and 2025: readers see their figures now."]
    assert set(Edition.objects.published().values_list("year", flat=True)) == {
        2022,
        2023,
        2024,
        2025,
    }


def test_publishing_only_published_editions_says_there_is_nothing_to_do(publisher, years):
    published_at = years.y2023.published_at

    response = run_action(publisher, "publish", years.y2023, confirmed=True)

    assert shown_messages(response) == [
        "Nothing to do: no selected edition is a draft or has pending changes."
    ]
    years.y2023.refresh_from_db()
    assert years.y2023.published_at == published_at


def test_a_mixed_selection_publishes_only_the_drafts(publisher, years):
    confirm_page = run_action(publisher, "publish", years.y2023, years.y2024)

    text = page_text(confirm_page)
    assert "2024 becomes public" in text
    assert "2023" not in text


# History: who published, who unpublished


def test_the_edition_history_records_who_published_and_unpublished(publisher, years):
    publisher.post(EDITIONS_URL, hidden_fields(run_action(publisher, "publish", years.y2024)))
    publisher.post(EDITIONS_URL, hidden_fields(run_action(publisher, "unpublish", years.y2024)))

    published, unpublished = reversed(years.y2024.history.all()[:2])
    assert (published.status, published.history_user) == ("published", publisher.user)
    assert published.history_change_reason == "Published"
    assert (unpublished.status, unpublished.history_user) == ("draft", publisher.user)
    assert unpublished.history_change_reason == "Unpublished"
    assert Edition.objects.get(year=2024).updated_by == publisher.user
    page = publisher.get(reverse("admin:programs_edition_history", args=[years.y2024.pk]))
    assert page.status_code == 200
    assert "publishers" in page_text(page)


# Scheduling


def test_an_edition_due_is_published_by_the_command(years):
    years.y2024.publish_at = timezone.now() - HOUR
    years.y2024.save()
    out = StringIO()

    call_command("publish_due_editions", stdout=out)

    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.PUBLISHED
    assert years.y2024.published_at is not None
    assert years.y2024.publish_at is None
    assert out.getvalue().strip() == "Published: 2024."
    latest = years.y2024.history.first()
    assert (latest.history_user, latest.history_change_reason) == (None, "Published as scheduled")


def test_an_edition_scheduled_for_later_is_left_a_draft(years):
    later = timezone.now() + HOUR
    years.y2024.publish_at = later
    years.y2024.save()
    out = StringIO()

    call_command("publish_due_editions", stdout=out, verbosity=2)

    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.DRAFT
    assert years.y2024.publish_at == later
    assert out.getvalue().strip() == "Nothing is due."
    assert editions_publish_due(now=later) == [2024]


def test_an_edition_without_a_schedule_is_never_published_by_the_command(years):
    call_command("publish_due_editions", stdout=StringIO())

    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.DRAFT


def test_running_the_command_twice_is_harmless(years):
    years.y2024.publish_at = timezone.now() - HOUR
    years.y2024.save()
    call_command("publish_due_editions", stdout=StringIO())
    years.y2024.refresh_from_db()
    published_at, history = years.y2024.published_at, years.y2024.history.count()
    out = StringIO()

    call_command("publish_due_editions", stdout=out)

    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.PUBLISHED
    assert years.y2024.published_at == published_at
    assert years.y2024.history.count() == history
    assert out.getvalue() == ""


def test_a_publisher_schedules_an_edition_in_the_admin_and_the_command_publishes_it(
    publisher, years
):
    url = reverse("admin:programs_edition_change", args=[years.y2024.pk])
    assert 'name="publish_at_0"' in publisher.get(url).content.decode()

    response = publisher.post(url, {"publish_at_0": "2020-01-01", "publish_at_1": "09:00:00"})

    assert response.status_code == 302
    years.y2024.refresh_from_db()
    assert years.y2024.publish_at is not None
    assert years.y2024.status == Edition.Status.DRAFT
    call_command("publish_due_editions", stdout=StringIO())
    years.y2024.refresh_from_db()
    assert years.y2024.status == Edition.Status.PUBLISHED


def test_an_editor_cannot_set_the_schedule(editor, years):
    change_page = editor.get(reverse("admin:programs_edition_change", args=[years.y2024.pk]))
    add_page = editor.get(ADD_EDITION_URL)

    assert change_page.status_code == add_page.status_code == 200
    for page in (change_page, add_page):
        assert 'name="publish_at_0"' not in page.content.decode()
    assert "publish_at" in add_page.context["adminform"].readonly_fields

    response = editor.post(
        ADD_EDITION_URL, {"year": "2026", "publish_at_0": "2020-01-01", "publish_at_1": "09:00"}
    )

    assert response.status_code == 302
    added = Edition.objects.get(year=2026)
    assert (added.status, added.publish_at) == (Edition.Status.DRAFT, None)
    call_command("publish_due_editions", stdout=StringIO())
    added.refresh_from_db()
    assert added.status == Edition.Status.DRAFT


def test_an_unpublished_edition_stays_unpublished_when_the_command_runs(publisher, years):
    # A schedule left on a published edition must not bring it back after an unpublish.
    url = reverse("admin:programs_edition_change", args=[years.y2023.pk])
    publisher.post(url, {"publish_at_0": "2020-01-01", "publish_at_1": "09:00:00"})
    publisher.post(EDITIONS_URL, hidden_fields(run_action(publisher, "unpublish", years.y2023)))
    years.y2023.refresh_from_db()
    assert years.y2023.status == Edition.Status.DRAFT

    call_command("publish_due_editions", stdout=StringIO())

    years.y2023.refresh_from_db()
    assert years.y2023.status == Edition.Status.DRAFT
