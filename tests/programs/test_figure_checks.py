"""The checks that catch a wrong number before it is published (programs/figure_checks):
a flag per kind, each a sentence naming the figure, what it was compared with and why;
none for a clean year; thresholds from the settings; a fixed number of queries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from programs.admin.catalog import MetricAdminForm
from programs.figure_checks import Candidate, breakdown_flags, candidate_flags, year_flags
from programs.models import Figure, Metric
from tests.conftest import make_figure, make_metric, once_per_module
from tests.programs.check_helpers import build_checked_year, set_value

data = once_per_module(build_checked_year, "data")


@pytest.fixture
def year(data, db):
    """The clean year, for one test in a savepoint of its own."""
    return data


def flags_2023(kind):
    return [str(flag) for flag in year_flags([2023])[2023] if flag.kind == kind]


def test_a_clean_year_has_no_flag(year):
    assert year_flags([2022, 2023]) == {2022: [], 2023: []}
    assert breakdown_flags() == []


def test_a_tenfold_jump_is_flagged_naming_the_previous_value(year):
    set_value(year.reports, year.minnesota, 110, year=2022)  # 2023: 1,100

    [flag] = year_flags([2023])[2023]

    assert (flag.kind, flag.key) == ("jump", (year.reports.pk, 2023, year.minnesota.pk))
    assert str(flag) == (
        "Reports in the state, Minnesota, 2023: 1,100 is 10.0 times 2022's 110 (more than 3 "
        "times, or less than 1/3 of, the year before: a digit typed twice or dropped?)."
    )


def test_a_thousandfold_jump_writes_its_ratio_with_thousands_separators(year):
    set_value(year.reports, year.minnesota, 1, year=2022)  # 2023: 1,100
    set_value(year.reports, year.minnesota, 12_345, year=2023)
    set_value(year.reports, year.states["WI"], 1_000_000, year=2022)  # 2023: 1,110

    assert "12,345 is 12,345.0 times 2022's 1 (" in flags_2023("jump")[0]
    assert "1,110 is 1/900.9 of 2022's 1,000,000 (" in flags_2023("jump")[1]
    [rate] = flags_2023("rate")
    assert "1,234.5 per 100,000 residents (12,345 among 1,000,000) is 11.7 times" in rate
    set_value(year.reports, year.minnesota, 123_456_789, year=2023)
    [rate] = flags_2023("rate")
    assert ") is 117,020.7 times the median" in rate


def test_a_state_figure_over_the_national_total_is_flagged(year):
    for year_ in (2022, 2023):
        set_value(year.reports, year.minnesota, 25_000, year=year_)

    assert flags_2023("over-national") == [
        "Reports in the state, Minnesota, 2023: 25,000 is more than the whole country's "
        "20,000 (“Reports nationwide”, 2023), which a state's figure is part of: a digit "
        "typed twice, or another metric's figure?"
    ]


def test_the_states_adding_up_to_more_than_the_national_total_is_flagged(year):
    set_value(year.national, None, 12_000)

    [flag] = year_flags([2023])[2023]

    assert (flag.kind, flag.key) == ("states-over-national", (year.reports.pk, 2023, None))
    assert str(flag) == (
        "Reports in the state, 2023: the 12 state figures add up to 12,660, more than the "
        "whole country's 12,000 (“Reports nationwide”, 2023), which they are part of: a "
        "figure too large, or a state counted twice?"
    )


def test_a_rate_over_three_times_the_states_median_is_flagged(year):
    set_value(year.population, year.minnesota, 100_000)

    [flag] = year_flags([2023])[2023]

    assert (flag.kind, flag.key) == ("rate", (year.reports.pk, 2023, year.minnesota.pk))
    assert str(flag) == (
        "Reports in the state, Minnesota, 2023: 1,100.0 per 100,000 residents (1,100 among "
        "100,000) is 10.4 times the median of the 12 states' rates that year, 105.5; more "
        "than 3 times is unusual: a digit typed twice, or the wrong population?"
    )


def test_no_rate_is_flagged_among_fewer_than_ten_states(year):
    set_value(year.population, year.minnesota, 100_000)
    Figure.objects.filter(metric=year.population, state__code__in=["AK", "AL", "AR"]).delete()

    assert year_flags([2023]) == {2023: []}


def test_no_rate_is_flagged_for_a_figure_given_as_more_than(year):
    set_value(year.population, year.minnesota, 100_000)
    set_value(year.reports, year.minnesota, 1_100, qualifier="more_than")

    assert flags_2023("rate") == []


def test_parts_that_do_not_add_up_to_their_total_are_flagged(year):
    set_value(year.parts[0], year.minnesota, 5)

    [flag] = year_flags([2023])[2023]

    assert (flag.kind, flag.key) == ("breakdown", (year.cases.pk, 2023, year.minnesota.pk))
    assert str(flag) == (
        "Cases, Minnesota, 2023: the 2 parts add up to 9, but the total is 10; the parts of "
        "a total add up to it (is a part missing, or mistyped?)."
    )
    assert breakdown_flags() == [flag]


def test_a_figure_without_a_source_among_sourced_ones_is_flagged(year):
    set_value(year.reports, year.states["WI"], 1_110, source="")

    [flag] = year_flags([2023])[2023]

    assert (flag.kind, flag.key) == ("no-source", (year.reports.pk, 2023, year.states["WI"].pk))
    assert str(flag) == (
        "Reports in the state, Wisconsin, 2023: no source is given, while 23 other figures "
        "of this metric give one (such as “Test source”); readers see where each figure "
        "comes from."
    )


def test_a_metric_none_of_whose_figures_has_a_source_is_not_flagged(year):
    Figure.objects.filter(metric=year.reports).update(source="")

    assert year_flags([2023]) == {2023: []}


@pytest.mark.parametrize(("jump", "flagged"), [(3, False), (2, True)])
def test_the_jump_threshold_is_a_setting(year, jump, flagged):
    set_value(year.reports, year.minnesota, 500, year=2022)  # 2023: 1,100, 2.2 times

    with override_settings(FIGURE_CHECK_JUMP=jump):
        assert bool(flags_2023("jump")) is flagged


@pytest.mark.parametrize(("times", "flagged"), [(4, False), (3, True)])
def test_the_rate_threshold_is_a_setting(year, times, flagged):
    set_value(year.population, year.minnesota, 300_000)  # 366.7 per 100,000: 3.4 times

    with override_settings(FIGURE_CHECK_RATE_MEDIAN=times):
        assert bool(flags_2023("rate")) is flagged


# Figures about to be saved


def test_a_candidate_is_checked_as_if_saved_and_nothing_is_saved(year):
    candidate = Candidate(year.reports, 2023, year.minnesota, Decimal(5_000), "", "New source")

    flags = candidate_flags([candidate])

    assert [flag.kind for flag in flags] == ["jump", "rate"]
    assert str(flags[0]).startswith("Reports in the state, Minnesota, 2023: 5,000 is 5.0 times")
    assert year_flags([2023]) == {2023: []}


def test_only_the_flags_that_concern_the_candidates_are_returned(year):
    set_value(year.reports, year.states["WI"], 1_110, source="")  # flagged, not a candidate

    clean = Candidate(year.reports, 2023, year.minnesota, Decimal(1_100), "", "Test source")

    assert candidate_flags([clean]) == []


def test_a_candidate_a_flag_compares_with_is_concerned_by_it(year):
    lower_total = Candidate(year.national, 2023, None, Decimal(12_000), "", "Test source")
    before = Candidate(year.reports, 2022, year.minnesota, Decimal(100), "", "Test source")
    part = Candidate(year.parts[1], 2023, year.minnesota, Decimal(3), "", "Test source")

    assert [flag.kind for flag in candidate_flags([lower_total])] == ["states-over-national"]
    assert [f.key for f in candidate_flags([before])] == [
        (year.reports.pk, 2023, year.minnesota.pk)  # 1,100 is 11 times the new 100
    ]
    assert [flag.kind for flag in candidate_flags([part])] == ["breakdown"]


def test_a_candidate_without_a_source_is_flagged(year):
    candidate = Candidate(year.reports, 2023, year.states["WI"], Decimal(1_110))

    assert [flag.kind for flag in candidate_flags([candidate])] == ["no-source"]


# A fixed number of queries


def test_the_checks_make_a_fixed_number_of_queries(year, django_assert_num_queries):
    one = [Candidate(year.reports, 2023, year.minnesota, Decimal(5))]
    many = [
        Candidate(year.reports, y, state, Decimal(5))
        for state in year.states.values()
        for y in (2022, 2023)
    ]
    with django_assert_num_queries(4):
        year_flags([2023])
    with django_assert_num_queries(4):
        year_flags([2021, 2022, 2023, 2024])
    with django_assert_num_queries(4):
        candidate_flags(one)
    with django_assert_num_queries(4):
        candidate_flags(many)
    with django_assert_num_queries(3):
        breakdown_flags()


# Breakdowns, as the figure list warns of them


def test_each_breakdown_of_a_total_is_checked_against_it_on_its_own(db):
    """36,210,368 reports by kind and the same reports by place: each adds up to the
    total, and together to twice it, which is no mismatch."""
    total = make_metric(scope=Metric.Scope.NATIONAL, label="Reports received")
    by_kind = [
        make_metric(total.program, scope=total.scope, parent=total, breakdown="by kind")
        for _ in range(2)
    ]
    by_place = [
        make_metric(total.program, scope=total.scope, parent=total, breakdown="by place")
        for _ in range(3)
    ]
    make_figure(total, value=100)
    make_figure(total, year=2022, value=7)  # with no part: nothing to add up
    for part, value in zip(by_kind, (60, 40), strict=True):
        make_figure(part, value=value)
    for part, value in zip(by_place, (50, 30, 20), strict=True):
        make_figure(part, value=value)

    assert breakdown_flags() == []

    Figure.objects.filter(metric=by_place[2]).update(value=25)
    assert [str(flag) for flag in breakdown_flags()] == [
        "Reports received, United States, 2023: the 3 parts by place add up to 105, but the "
        "total is 100; the parts of a total add up to it (is a part missing, or mistyped?)."
    ]


def test_a_total_given_as_more_than_is_not_checked_against_its_parts(db):
    total = make_metric()
    part = make_metric(total.program, parent=total)
    make_figure(total, value=100, qualifier="more_than")
    make_figure(part, value=7)

    assert breakdown_flags() == []


# The national total a state metric declares


def test_a_national_total_is_a_national_count_named_by_a_state_count(db):
    national = make_metric(scope=Metric.Scope.NATIONAL)
    state = make_metric()
    percent = make_metric(unit=Metric.Unit.PERCENT)

    def refusal(metric, total):
        metric.national_total = total
        with pytest.raises(ValidationError) as refused:
            metric.full_clean()
        return refused.value.message_dict["national_total"]

    assert refusal(make_metric(scope=Metric.Scope.NATIONAL), national) == [
        "Only a state metric has a national total: leave it blank."
    ]
    assert refusal(make_metric(), state) == [
        "Choose a national metric: the national total is the count for the whole country."
    ]
    assert refusal(percent, national) == [
        "Only counts have a national total, which the states' counts are part of."
    ]
    state.national_total = national
    state.full_clean()


def test_staff_choose_the_national_total_among_national_metrics(year, admin_client):
    page = admin_client.get(f"/admin/programs/metric/{year.reports.pk}/change/")
    choices = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "programs", "model_name": "metric", "field_name": "national_total"},
    ).json()["results"]

    assert 'name="national_total"' in page.content.decode()
    assert "Reports nationwide" in page.content.decode()  # the one declared
    assert {choice["text"] for choice in choices} == {"Reports nationwide"}


def test_a_form_naming_another_kind_of_metric_as_national_total_says_what_to_choose(year):
    form = MetricAdminForm(data={"national_total": year.reports.pk})

    assert form.errors["national_total"] == [
        "Choose a national metric: the national total is the count for the whole country."
    ]
