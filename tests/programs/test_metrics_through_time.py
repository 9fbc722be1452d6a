"""Metrics through time: the years a metric is collected, what its figure measures over
time, dated notes, a key that cannot change, sentences that read right, and the state
page that opens on a year with figures."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from programs.corrections import Proposal, pending_changes_stage
from programs.models import Figure, Metric, MetricNote, Program, public_change
from states.models import State
from tests.conftest import make_figure, make_metric, make_program, page_text

REPORTS = "cybertipline-reports-to-law-enforcement"


def save(obj):
    with public_change():
        obj.save()
    return obj


# The years a metric is collected


def test_a_new_programs_metrics_add_no_lines_to_earlier_years(client, demo):
    """Six metrics of a program first collected in 2024 leave the 2023 pages as they were."""
    before = page_text(client.get("/states/minnesota/2023/"))
    program = make_program(name="New Program 2024")
    for n in range(6):
        make_metric(program, label=f"New metric {n}", first_year=2024)

    after = page_text(client.get("/states/minnesota/2023/"))

    assert "New metric" not in after
    assert "Not reported" not in before + after


def test_a_metric_collected_that_year_without_a_figure_is_named_as_not_reported(
    client, demo, minnesota
):
    """In the work area's one line, when the state has had a figure of it before; left
    out when it never had one (tests/states/test_fact_sheet_glance.py)."""
    metric = make_metric(
        Program.objects.get(slug="cybertipline"), label="Apps reporting", first_year=2022
    )
    make_figure(metric, year=2022, state=minnesota, value=3)

    text = page_text(client.get("/states/minnesota/2023/"))

    assert "Not reported for Minnesota in 2023: Apps reporting." in text


def test_a_metric_no_longer_collected_is_left_off_later_years(client, demo, minnesota):
    metric = make_metric(Program.objects.get(slug="cybertipline"), label="Old count")
    make_figure(metric, year=2022, state=minnesota, value=40)
    metric.last_year = 2022
    save(metric)

    assert "Old count" not in page_text(client.get("/states/minnesota/2023/"))
    assert "40 things happened in Minnesota" in page_text(client.get("/states/minnesota/2022/"))
    assert "Old count" not in page_text(client.get("/programs/cybertipline/2023/"))


def test_a_figure_outside_its_metrics_years_is_refused_with_a_sentence(demo, minnesota):
    metric = Metric.objects.get(key=REPORTS)
    figure = Figure(metric=metric, year=2019, state=minnesota, value=5)

    with pytest.raises(ValidationError) as error:
        figure.full_clean()

    assert error.value.message_dict["year"][-1].startswith(
        f"“{REPORTS}” is collected from 2023, so it has no figure for 2019."
    )


def test_the_first_year_cannot_move_past_the_metrics_earliest_figure(demo):
    metric = Metric.objects.get(key=REPORTS)
    metric.first_year = 2024

    with pytest.raises(ValidationError, match="There are figures for 2023"):
        metric.full_clean()


def test_the_database_refuses_a_last_year_before_the_first(demo):
    with pytest.raises(IntegrityError), public_change():
        Metric.objects.filter(key=REPORTS).update(last_year=2000)


# What a figure measures over time


def test_a_running_total_has_no_change_from_the_year_before_and_a_count_does(db):
    total = make_metric(period=Metric.Period.TO_DATE)
    count = make_metric()
    percent = make_metric(unit=Metric.Unit.PERCENT)

    assert (total.change_kind, count.change_kind, percent.change_kind) == (
        None,
        "count",
        "points",
    )


def test_a_percent_cannot_be_a_running_total(db):
    metric = Metric(
        program=make_program(), key="p", label="P", scope=Metric.Scope.NATIONAL,
        unit=Metric.Unit.PERCENT, period=Metric.Period.TO_DATE, first_year=2020,
    )  # fmt: skip

    with pytest.raises(ValidationError, match="A percent is for its year"):
        metric.full_clean()


# Dated notes


def test_a_dated_note_is_shown_with_the_figures_of_its_years_only(client, demo, minnesota):
    metric = Metric.objects.get(key=REPORTS)
    make_figure(metric, year=2022, state=minnesota, value=7000)
    save(
        MetricNote(
            metric=metric,
            first_year=2023,
            text="From 2023, reports are counted by the state of the suspect.",
        )
    )

    on_2023 = page_text(client.get("/states/minnesota/2023/"))
    on_2022 = page_text(client.get("/states/minnesota/2022/"))

    assert "Note (from 2023): From 2023, reports are counted" in on_2023
    assert "counted by the state of the suspect" not in on_2022
    assert "counted by the state of the suspect" in page_text(
        client.get("/programs/cybertipline/2023/")
    )


# History and a fixed key


def test_a_metric_change_is_in_its_history_with_who_when_and_the_old_and_new_label(
    demo, publisher
):
    metric = Metric.objects.get(key=REPORTS)
    url = reverse("admin:programs_metric_change", args=[metric.pk])
    form = publisher.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        label="Reports sent to law enforcement",
        **{"notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0"},
    )

    response = publisher.post(url, data)

    assert response.status_code == 302
    record = metric.history.order_by("-history_date").first()
    assert record.history_user == publisher.user
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("label", "Reports made available to law enforcement", "Reports sent to law enforcement")
    ]
    history = page_text(publisher.get(reverse("admin:programs_metric_history", args=[metric.pk])))
    assert (
        "Label: Reports made available to law enforcement → Reports sent to law enforcement"
        in history
    )


def test_a_metrics_key_cannot_change_once_figures_use_it(demo, publisher):
    metric = Metric.objects.get(key=REPORTS)
    metric.key = "reports-renamed"

    with pytest.raises(ValidationError, match="is used by 1 figure"):
        metric.full_clean()
    form = publisher.get(reverse("admin:programs_metric_change", args=[metric.pk]))
    assert "key" not in form.context["adminform"].form.fields


def test_a_metric_without_figures_may_still_change_its_key(db):
    metric = make_metric()
    metric.key = "a-better-key"

    metric.full_clean()


# Sentences


def test_a_value_of_1_uses_the_singular_sentence(client, demo):
    metric = Metric.objects.get(key="team-adam-incidents")
    metric.sentence_singular = (
        "In {year}, at the request of law enforcement, Team Adam was activated on {value} "
        "incident involving critically missing children."
    )
    save(metric)
    figure = Figure.objects.get(metric=metric, year=2023)

    assert "activated on 57 incidents" in figure.sentence
    figure.value = 1
    assert figure.sentence.endswith(
        "activated on 1 incident involving critically missing children."
    )


def test_more_than_1_is_not_singular(db):
    metric = make_metric(sentence_singular="In {year}, {value} thing happened in {state}.")
    figure = make_figure(metric, value=1, qualifier=Figure.Qualifier.MORE_THAN)

    assert figure.sentence == "In 2023, more than 1 things happened in Minnesota."


@pytest.mark.parametrize(
    ("sentence", "message"),
    [
        ("In {year}, {value:>3000000000} reports.", "“{value:>3000000000}” is not a placeholder"),
        ("In {year}, {value.__class__} reports.", "is not a placeholder"),
        ("In {year}, {value[0]} reports.", "is not a placeholder"),
        ("In {year}, {0} reports {value}.", "“{0}” is not a placeholder"),
        ("In {year} {value} a { lone brace.", "a lone “{”"),
    ],
)
def test_a_sentence_with_anything_but_the_three_placeholders_is_refused(db, sentence, message):
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    metric.sentence = sentence

    with pytest.raises(ValidationError, match=re.escape(message)):
        metric.full_clean()


def test_a_bad_sentence_saved_before_validation_does_not_break_the_page(client, demo):
    Metric.objects.filter(key="team-adam-incidents").update(
        sentence="In {year}, {value:>3000000000} incidents."
    )

    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 200
    assert "Incidents Team Adam was activated on: 57" in page_text(response)


def test_braces_can_be_written_doubled(db):
    metric = make_metric(scope=Metric.Scope.NATIONAL, sentence="In {year}: {value} {{sic}}.")

    assert make_figure(metric, value=3).sentence == "In 2023: 3 {sic}."


# The state page's year


def test_a_state_page_opens_on_the_latest_year_with_a_figure_for_that_state(client, demo):
    florida = State.objects.get(code="FL")
    make_figure(Metric.objects.get(key=REPORTS), year=2022, state=florida, value=31000)

    response = client.get("/states/florida/")

    assert response.context["year"] == 2022
    assert (
        "In 2022, 31,000 CyberTipline reports were made available to law enforcement in "
        "Florida." in page_text(response)
    )


def test_a_state_with_figures_in_another_year_links_to_them(client, demo):
    florida = State.objects.get(code="FL")
    make_figure(Metric.objects.get(key=REPORTS), year=2022, state=florida, value=31000)

    response = client.get("/states/florida/2023/")
    text = page_text(response)

    assert "No figures are published for Florida for 2023." in text
    assert (
        'Florida has figures for <a href="/states/florida/2022/">2022</a>.'
        in response.content.decode()
    )


# What a Publisher may not change under figures readers see


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("scope", Metric.Scope.STATE, "the scope cannot change while they exist"),
        ("unit", Metric.Unit.PERCENT, "the unit cannot change while they exist"),
    ],
)
def test_a_metrics_scope_and_unit_cannot_change_once_it_has_figures(demo, field, value, message):
    metric = Metric.objects.get(key="cybertipline-reports-received")
    setattr(metric, field, value)

    with pytest.raises(ValidationError, match=message):
        metric.full_clean()


def test_a_breakdown_part_must_be_under_its_totals_program(demo):
    part = Metric.objects.get(key=REPORTS)
    part.parent = Metric.objects.get(key="missing-cases-handled")

    with pytest.raises(ValidationError, match="same program as its total"):
        part.full_clean()


def test_a_program_with_pending_corrections_cannot_be_taken_off_the_site(demo):
    figure = Figure.objects.get(metric__key=REPORTS, state__code="MN")
    pending_changes_stage(
        proposals=[Proposal(figure.metric, 2023, figure.state, figure, value=8700)],
        reason="Corrected",
    )
    program = Program.objects.get(slug="cybertipline")
    program.is_published = False

    with pytest.raises(ValidationError, match="has 1 pending correction"):
        program.full_clean()
