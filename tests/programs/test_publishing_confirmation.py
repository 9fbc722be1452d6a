"""The Publisher's confirmation of publishing, as it reads: each year's counts of state
and national figures, every flag of the figures readers would see and the box that says
they were checked, several years in one confirmation from the Editions list's "Publish
every draft…" button, and the sentences that say what was done."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.corrections import Proposal, pending_changes_stage
from programs.demo import demo_data_load
from programs.models import Edition, Figure, Metric, PendingChange
from programs.publishing import editions_flags, plural
from states.models import State
from tests.conftest import make_figure, make_metric, once_per_module, page_text

EDITIONS_URL = reverse("admin:programs_edition_changelist")
REPORTS = "cybertipline-reports-to-law-enforcement"
JUMP = "86,110 is 10.0 times 2023's 8,611"  # the flag of Minnesota's 2024 draft figure


def build():
    """The demo (2023 published: Minnesota's CyberTipline reports 8,611) and three drafts:
    2014, one national figure; 2022, three state figures of two states; 2024, a national
    figure and Minnesota's CyberTipline reports typed with a digit twice, 86,110."""
    demo_data_load(seed_only=True)
    minnesota, wisconsin = State.objects.get(code="MN"), State.objects.get(code="WI")
    make_figure(make_metric(scope=Metric.Scope.NATIONAL), year=2014, value=50, draft=True)
    per_state, other = make_metric(), make_metric()
    make_figure(per_state, year=2022, state=minnesota, value=10, draft=True)
    make_figure(per_state, year=2022, state=wisconsin, value=12, draft=True)
    make_figure(other, year=2022, state=minnesota, value=7, draft=True)
    make_figure(make_metric(scope=Metric.Scope.NATIONAL), year=2024, value=4321, draft=True)
    reports = Metric.objects.get(key=REPORTS)
    source = Figure.objects.get(metric=reports, year=2023, state=minnesota).source
    make_figure(reports, year=2024, state=minnesota, value=86110, source=source, draft=True)


world = once_per_module(build, name="world")


@pytest.fixture
def years(world, db):
    return {edition.year: edition for edition in Edition.objects.all()}


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_fields(response, form_class=None):
    """The fields a browser posts from a form of the page (the one of ``form_class``, or
    the confirmation's): its hidden inputs, and its ticked boxes' values are left out."""
    content = response.content.decode()
    if form_class:
        content = re.search(rf'<form[^>]*class="{form_class}".*?</form>', content, re.S)[0]
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content):
        data.setdefault(name, []).append(value)
    return data


def ask(client, *editions):
    return client.post(
        EDITIONS_URL, {"action": "publish", "_selected_action": [e.pk for e in editions]}
    )


def flags_box(response):
    """The box to tick to publish with flags: its label and its value, or None."""
    content = response.content.decode()
    box = re.search(r'<input type="checkbox" id="id_flags_checked" name="(\w+)" value="(\w+)" '
                    r"required", content)  # fmt: skip
    if box is None:
        return None
    label = re.search(r'<label for="id_flags_checked">([^<]+)</label>', content)[1]
    return {"label": label, "name": box[1], "value": box[2]}


def stage_2023_jump():
    """A pending change of Minnesota's published 2023 reports typed 10 times too large."""
    figure = Figure.objects.get(metric__key=REPORTS, year=2023, state__code="MN")
    proposal = Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(86110),
                        source=figure.source)  # fmt: skip
    pending_changes_stage(proposals=[proposal], reason="Recounted")


# a. The counts


def test_the_confirmation_counts_state_figures_their_states_and_national_figures(publisher, years):
    text = page_text(ask(publisher, years[2014], years[2022], years[2024]))

    assert "2014 becomes public: 1 national figure; no state figure." in text
    assert "2022 becomes public: 3 state figures for 2 states; no national figure." in text
    assert "2024 becomes public: 1 state figure for 1 state and 1 national figure." in text


def test_the_unpublish_confirmation_counts_them_too(publisher, years):
    figures = Figure.objects.for_year(2023)
    state, national = (
        figures.filter(state__isnull=False).count(),
        figures.filter(state__isnull=True).count(),
    )

    response = publisher.post(
        EDITIONS_URL, {"action": "unpublish", "_selected_action": [years[2023].pk]}
    )

    assert (
        f"2023 becomes private again: {state} state figures for 1 state and {national} "
        "national figures."
    ) in page_text(response)


# b. Every draft and pending change in one confirmation


def test_a_publisher_publishes_every_draft_and_pending_change_in_one_confirmation(
    client, publisher, years
):
    stage_2023_jump()
    editions = publisher.get(EDITIONS_URL)
    assert "Publish every draft and pending change…" in page_text(editions)

    confirmation = publisher.post(EDITIONS_URL, form_fields(editions, "publish-every"))

    text = page_text(confirmation)
    count = sum(len(f) for f in editions_flags(Edition.objects.all()).values())
    assert (
        "Please confirm: this makes 2014, 2022 and 2024 public and publishes the pending "
        f"changes of 2023. {plural(count, 'flag')} to check, listed below."
    ) in text
    for sentence in (
        "2014 becomes public: 1 national figure; no state figure.",
        "2022 becomes public: 3 state figures for 2 states; no national figure.",
        "2023, published: its 1 pending change becomes public, with a revision note",
        "2024 becomes public: 1 state figure for 1 state and 1 national figure.",
    ):
        assert sentence in text
    box = flags_box(confirmation)
    fields = {**form_fields(confirmation), box["name"]: box["value"]}
    assert fields["action"] == ["publish"]  # the one path that acts

    response = publisher.post(EDITIONS_URL, fields, follow=True)

    assert shown_messages(response) == [
        "Published 2014, 2022 and 2024: readers see their figures now.",
        "Published the pending changes of 2023: readers see the corrected figures now, with "
        "a revision note.",
    ]
    assert not Edition.objects.drafts().exists()
    assert not PendingChange.objects.exists()
    client.logout()
    assert "86,110" in page_text(client.get("/states/minnesota/2024/"))
    assert "Publish every" not in page_text(publisher.get(EDITIONS_URL))  # nothing waits


def test_the_button_says_what_waits(publisher, years):
    assert "Publish every draft…" in page_text(publisher.get(EDITIONS_URL))


def test_an_editor_is_not_offered_the_button_and_its_post_publishes_nothing(
    editor, publisher, years
):
    offered = publisher.get(EDITIONS_URL)

    assert "Publish every" not in page_text(editor.get(EDITIONS_URL))
    editor.post(EDITIONS_URL, form_fields(offered, "publish-every"))
    confirmation = ask(publisher, years[2014])
    editor.post(EDITIONS_URL, form_fields(confirmation))
    assert Edition.objects.drafts().count() == 3


# c. Flags


def test_the_confirmation_lists_every_flag_and_asks_for_the_box(publisher, years):
    confirmation = ask(publisher, years[2014], years[2024])

    text = page_text(confirmation)
    flags = editions_flags([years[2014], years[2024]])
    shown = [flag.message for year_flags in flags.values() for flag in year_flags]
    assert any(JUMP in message for message in shown)
    for message in shown:
        assert message in text
    assert "2014 becomes public: 1 national figure; no state figure. No flag." in text
    expected = (
        "I have checked this flag"
        if len(shown) == 1
        else f"I have checked these {len(shown)} flags"
    )
    assert flags_box(confirmation)["label"] == expected


def test_a_year_of_over_a_thousand_flags_writes_their_count_with_separators(publisher, years):
    """A year imported without its sources: a flag per figure, as many as 56 states by
    19 metrics; each of the sourced state's 18 metrics gives a source."""
    sourced = make_metric()
    make_figure(sourced, year=2021, state=State.objects.get(code="MN"), value=1, source="A")
    metrics = [sourced, *(make_metric(program=sourced.program) for _ in range(18))]
    Figure.objects.bulk_create(
        Figure(metric=metric, year=2022, state=state, value=1, source="")
        for metric in metrics
        for state in State.objects.all()
    )
    Figure.objects.filter(metric__in=metrics[1:], state__code="MN").update(source="A")

    confirmation = ask(publisher, years[2022])

    text = page_text(confirmation)
    assert "1,046 flags to check, listed below." in text
    assert "1,046 flags to check:" in text
    assert flags_box(confirmation)["label"] == "I have checked these 1,046 flags"


def test_an_editions_own_publish_link_shows_its_flags_too(publisher, years):
    page = publisher.get(reverse("admin:programs_edition_change", args=[years[2024].pk]))
    link = reverse("admin:programs_edition_confirm", args=[years[2024].pk, "publish"])
    assert f'href="{link}"' in page.content.decode()

    confirmation = publisher.get(link)

    assert JUMP in page_text(confirmation)
    assert flags_box(confirmation) is not None
    assert form_fields(confirmation)["action"] == ["publish"]


def test_a_year_without_flags_asks_for_no_box(publisher, years):
    confirmation = ask(publisher, years[2014], years[2022])

    assert page_text(confirmation).count("No flag.") == 2
    assert flags_box(confirmation) is None
    publisher.post(EDITIONS_URL, form_fields(confirmation))
    assert not Edition.objects.drafts().filter(year__in=[2014, 2022]).exists()


def test_confirming_flags_without_the_box_names_it_and_publishes_nothing(publisher, years):
    confirmation = ask(publisher, years[2014], years[2024])
    label = flags_box(confirmation)["label"]

    response = publisher.post(EDITIONS_URL, form_fields(confirmation))

    assert response.status_code == 200
    text = page_text(response)
    assert f"Tick “{label}” to publish: nothing was published." in text
    assert JUMP in text
    assert flags_box(response)["label"] == label
    assert Edition.objects.drafts().count() == 3
    assert shown_messages(response) == []


def test_ticking_the_box_publishes(publisher, years):
    confirmation = ask(publisher, years[2024])
    box = flags_box(confirmation)

    response = publisher.post(
        EDITIONS_URL, {**form_fields(confirmation), box["name"]: box["value"]}, follow=True
    )

    assert shown_messages(response) == ["Published 2024: readers see its figures now."]
    assert Edition.objects.get(year=2024).is_published


def test_a_confirmation_of_years_whose_flags_changed_since_publishes_nothing(publisher, years):
    confirmation = ask(publisher, years[2024])
    box = flags_box(confirmation)
    Figure.objects.filter(metric__key=REPORTS, year=2024).update(value=1)  # now 1/8,611

    response = publisher.post(
        EDITIONS_URL, {**form_fields(confirmation), box["name"]: box["value"]}
    )

    assert "The years changed since the page was shown: nothing was published." in page_text(
        response
    )
    assert not Edition.objects.get(year=2024).is_published


def test_a_pending_change_is_flagged_as_the_figure_would_be(publisher, years):
    make_figure(Metric.objects.get(key=REPORTS), year=2022, value=8000, draft=True)
    stage_2023_jump()

    text = page_text(ask(publisher, years[2023]))

    assert "86,110 is 10.8 times 2022's 8,000" in text
    assert "2023, published: its 1 pending change becomes public" in text


def test_figures_imported_since_the_page_was_shown_are_not_published_unseen(publisher, years):
    confirmation = ask(publisher, years[2024])
    box = flags_box(confirmation)
    make_figure(Metric.objects.get(key=REPORTS), year=2024, state=State.objects.get(code="WI"),
                value=700)  # fmt: skip

    response = publisher.post(
        EDITIONS_URL, {**form_fields(confirmation), box["name"]: box["value"]}
    )

    assert "The years changed since the page was shown: nothing was published." in page_text(
        response
    )
    assert not Edition.objects.get(year=2024).is_published


# d. What was done, in sentences


def test_unpublishing_and_discarding_say_what_readers_see(publisher, years):
    stage_2023_jump()
    discard = {"action": "discard_pending", "_selected_action": [years[2023].pk]}
    response = publisher.post(EDITIONS_URL, {**discard, "confirmed": "yes"}, follow=True)
    assert shown_messages(response) == [
        "Discarded 1 pending change of 2023: readers never saw them."
    ]
    unpublish = {"action": "unpublish", "_selected_action": [years[2023].pk]}

    response = publisher.post(EDITIONS_URL, {**unpublish, "confirmed": "yes"}, follow=True)

    assert shown_messages(response) == ["Unpublished 2023: readers no longer see its figures."]


# Queries


def test_the_confirmation_reads_every_year_in_the_same_number_of_queries(publisher, years):
    def queries():
        editions = publisher.get(EDITIONS_URL)
        with CaptureQueriesContext(connection) as captured:
            page = publisher.post(EDITIONS_URL, form_fields(editions, "publish-every"))
        assert page.status_code == 200
        return len(captured)

    stage_2023_jump()
    few = queries()
    for year in (2010, 2011, 2012):
        make_figure(make_metric(), year=year, value=5, draft=True)
        make_figure(Metric.objects.get(key=REPORTS), year=year, value=9, draft=True)
    figure = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
    pending_changes_stage(
        proposals=[Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(1))],
        reason="Recounted",
    )

    assert queries() == few
