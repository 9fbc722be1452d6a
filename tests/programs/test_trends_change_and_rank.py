"""A figure's trend in words, without a page: its change from the year before (up or
down, by how much, in percent or percentage points, about a rounded figure; none for a
running total, a missing year or a "more than" figure's difference; a warning when a note
starts that year), and its rank among the states (ties shared, none below ten places,
written as ordinals).
"""

from decimal import Decimal

import pytest

from programs import formatting
from programs.models import Figure, Metric, MetricNote
from programs.reader import trends
from programs.reader.charts import Point

# The change from the year before


def change(metric, now, before, qualifiers=("", "")):
    return trends.Change(metric, Point(2023, Decimal(now), qualifiers[0]),
                         Point(2022, Decimal(before), qualifiers[1])).text  # fmt: skip


COUNT = Metric(key="m", label="Reports", unit=formatting.COUNT, period=Metric.Period.YEAR)
PERCENT = Metric(key="p", label="Share", unit=formatting.PERCENT, period=Metric.Period.YEAR)
RUNNING = Metric(key="r", label="Children", unit=formatting.COUNT, period=Metric.Period.TO_DATE)


def test_a_count_says_how_much_it_rose_and_by_what_percent():
    assert change(COUNT, 8611, 7407) == "Up 1,204 (+16.3%) from 7,407 in 2022."


def test_a_fall_is_written_with_a_minus_sign():
    assert change(COUNT, 7407, 8611) == "Down 1,204 (\N{MINUS SIGN}14%) from 8,611 in 2022."


def test_an_unchanged_figure_says_so():
    assert change(COUNT, 12, 12) == "The same as in 2022."


def test_a_rise_from_zero_has_no_percent():
    assert change(COUNT, 12, 0) == "Up 12 from 0 in 2022."


def test_a_percent_changes_in_percentage_points():
    assert change(PERCENT, 19, 17) == "Up 2 percentage points from 17% in 2022."
    assert change(PERCENT, 18, 19) == "Down 1 percentage point from 19% in 2022."


def test_a_rounded_figure_changes_by_about_its_rounded_difference():
    rounded = (formatting.ROUNDED, formatting.ROUNDED)
    assert change(COUNT, 36_200_000, 32_000_000, rounded) == (
        "Up about 4.2 million (+13.1%) from 32 million in 2022."
    )


def test_a_more_than_figure_gives_last_years_figure_without_a_difference():
    floors = (formatting.MORE_THAN, formatting.EXACT)
    assert change(COUNT, 18_400, 16_000, floors) == "It was 16,000 in 2022."


def test_a_running_total_is_not_compared_with_the_year_before():
    figure = Figure(year=2023, value=Decimal(27_130), qualifier="")
    points = [Point(2022, Decimal(25_926))]

    assert trends.change_for(RUNNING, figure, points) is None
    assert trends.change_for(COUNT, figure, points) is not None


def test_no_figure_for_the_year_before_means_no_change_is_said():
    figure = Figure(year=2023, value=Decimal(10), qualifier="")

    assert trends.change_for(COUNT, figure, [Point(2021, Decimal(5))]) is None
    assert trends.change_for(COUNT, figure, []) is None


def test_a_note_starting_this_year_warns_that_the_years_are_not_alike():
    figure = Figure(year=2023, value=Decimal(10), qualifier="")
    note = MetricNote(first_year=2023, text="From 2023, counted by the suspect's state.")

    text = trends.change_for(COUNT, figure, [Point(2022, Decimal(5))], [note]).text

    assert text == ("Up 5 (+100%) from 5 in 2022. The note above applies from 2023, not to 2022.")


# Ranks


def test_ties_share_a_rank_and_the_next_rank_skips():
    rows = [(1, state, value) for state, value in enumerate([90, 80, 80, 70, *range(60, 0, -10)])]

    ranked = trends.ranks(rows)

    assert ranked[(1, 0)] == trends.Rank(1, 10)
    assert ranked[(1, 1)] == ranked[(1, 2)] == trends.Rank(2, 10, tied=True)
    assert ranked[(1, 3)] == trends.Rank(4, 10)
    assert ranked[(1, 2)].text == "tied 2nd highest of 10 states and territories reporting"


def test_a_tied_state_is_said_to_be_tied():
    trend = trends.Trend(COUNT, "Iowa", 2023, "t", rank=trends.Rank(3, 48, tied=True))

    assert trend.rank_text == (
        "Iowa is tied 3rd highest of 48 states and territories reporting by count in 2023."
    )


def test_no_rank_is_given_when_fewer_than_ten_places_reported():
    rows = [(1, state, state) for state in range(9)]

    assert trends.ranks(rows) == {}


@pytest.mark.parametrize(
    ("n", "written"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
     (13, "13th"), (21, "21st"), (22, "22nd"), (56, "56th")],
)  # fmt: skip
def test_ranks_are_written_as_ordinals(n, written):
    assert trends.ordinal(n) == written
