"""The SVG chart helper: what it draws, what it says in words, and that it is the same
bytes for the same figures."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from programs import formatting
from programs.reader import charts
from programs.reader.charts import Point

SERIES = [
    Point(2014, Decimal(3000)),
    Point(2015, Decimal(2500)),
    Point(2016, Decimal(9500)),
    Point(2017, Decimal(8611)),
]


def coordinates(svg):
    """The polyline's points as [(x, y)]."""
    raw = re.search(r'<polyline[^>]*points="([^"]*)"', svg).group(1)
    return [tuple(float(n) for n in pair.split(",")) for pair in raw.split()]


def spark(points, **options):
    return str(charts.sparkline(points, chart_id="c", title="Reports", unit="count", **options))


def test_the_highest_value_reaches_the_top_and_zero_is_the_bottom():
    svg = spark([Point(2014, Decimal(0)), Point(2015, Decimal(50)), Point(2016, Decimal(100))])

    (x0, y0), (x1, y1), (x2, y2) = coordinates(svg)
    assert (x0, x2) == (4, 116)  # first and last years at the two edges
    assert x1 == 60
    assert y0 == 28  # zero on the baseline
    assert y2 == 4  # the highest at the top
    assert y1 == 16  # half way


def test_years_are_spaced_by_time_so_a_missing_year_leaves_a_gap():
    svg = spark([Point(2010, Decimal(1)), Point(2011, Decimal(1)), Point(2020, Decimal(1))])

    xs = [x for x, _ in coordinates(svg)]
    assert xs[1] - xs[0] < (xs[2] - xs[1]) / 5


def test_a_single_point_is_drawn_in_the_middle_and_described_as_one_year():
    svg = spark([Point(2023, Decimal(8611))])

    assert coordinates(svg) == [(60, 4)]
    assert "One year: 8,611 in 2023." in svg


def test_a_flat_series_is_a_level_line_and_names_every_year_as_highest_and_lowest():
    svg = spark([Point(year, Decimal(5)) for year in (2020, 2021, 2022)])

    assert len({y for _, y in coordinates(svg)}) == 1
    assert "Highest: 5 in 2020, 2021 and 2022." in svg
    assert "Lowest: 5 in 2020, 2021 and 2022." in svg


def test_a_series_of_zeros_lies_on_the_baseline_without_dividing_by_zero():
    svg = spark([Point(2020, Decimal(0)), Point(2021, Decimal(0))])

    assert {y for _, y in coordinates(svg)} == {28}


def test_no_point_goes_below_the_baseline_or_above_the_top():
    svg = spark(SERIES)

    assert all(4 <= y <= 28 for _, y in coordinates(svg))
    assert "-" not in re.search(r'points="([^"]*)"', svg).group(1)


def test_the_text_alternative_states_first_last_highest_and_lowest_with_their_years():
    svg = spark(SERIES)

    desc = re.search(r'<desc id="c-desc">(.*?)</desc>', svg).group(1)
    assert desc == (
        "First: 3,000 in 2014. Last: 8,611 in 2017. Highest: 9,500 in 2016. Lowest: 2,500 in 2015."
    )


def test_the_chart_is_an_image_named_by_its_title_and_description():
    svg = spark(SERIES)

    assert svg.startswith('<svg class="chart chart--spark" id="c" role="img"')
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Reports</title>' in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_the_same_figures_give_the_same_bytes():
    first = spark(SERIES, current_year=2016)
    again = spark(list(SERIES), current_year=2016)

    assert first == again
    # Every id comes from the one it is given: nothing random.
    assert set(re.findall(r'id="([^"]*)"', first)) == {"c", "c-title", "c-desc"}


def test_figures_are_written_as_everywhere_else_on_the_site():
    points = [
        Point(2022, Decimal(32_000_000), formatting.ROUNDED),
        Point(2023, Decimal(36_200_000), formatting.ROUNDED),
    ]

    svg = spark(points)

    assert "First: 32 million in 2022. Last: 36.2 million in 2023." in svg
    percent = str(
        charts.sparkline(
            [Point(2022, Decimal(17)), Point(2023, Decimal(19))],
            chart_id="p",
            title="Share",
            unit=formatting.PERCENT,
        )
    )
    assert "Last: 19% in 2023." in percent


def test_a_title_written_by_staff_is_escaped():
    svg = str(
        charts.sparkline(SERIES, chart_id="c", title='<script>alert("x")</script>', unit="count")
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_page_year_is_marked_on_the_line():
    svg = spark(SERIES, current_year=2015)

    assert svg.count("chart-dot--current") == 1
    assert re.search(r'class="chart-dot chart-dot--current" cx="41.3"', svg)


def test_the_larger_chart_has_a_round_scale_from_zero_and_years_underneath():
    svg = str(charts.line_chart(SERIES, chart_id="big", title="Reports", unit="count"))

    labels = re.findall(r'<text class="chart-label[^"]*"[^>]*>([^<]*)</text>', svg)
    assert labels[:5] == ["0", "2,500", "5,000", "7,500", "10,000"]
    assert labels[5:] == ["2014", "2015", "2016", "2017"]
    assert "Highest: 9,500 in 2016." in svg


def test_the_larger_chart_writes_millions_on_its_scale():
    points = [Point(2022, Decimal(32_000_000)), Point(2023, Decimal(36_200_000))]

    svg = str(charts.line_chart(points, chart_id="big", title="Reports", unit="count"))

    assert ">40 million<" in svg


def year_labels(svg):
    """The years under a larger chart: [(year, x, minor)]."""
    found = re.findall(
        r'<text class="chart-label( chart-label--minor)?"[^>]*x="([\d.]+)"[^>]*>(\d{4})</text>',
        svg,
    )
    return [(int(year), float(x), bool(minor)) for minor, x, year in found]


def assert_apart(labels, size):
    """No two years written at ``size`` run together, and none runs past the chart's box."""
    half = charts.year_width(size) / 2
    for (_, left, _), (_, right, _) in zip(labels, labels[1:], strict=False):
        assert right - left >= 2 * half + size / 2
    assert all(half <= x <= 480 - half for _, x, _ in labels)


SPANS = [
    # (first, last, the largest value): NCMEC's reports 1998-2023 (millions on the scale),
    # a state's ten years, five years, one year.
    pytest.param(1998, 2023, 36_200_000, [1998, 2003, 2008, 2013, 2018, 2023], id="1998-2023"),
    pytest.param(2014, 2023, 9_500, [2015, 2017, 2019, 2021, 2023], id="2014-2023"),
    pytest.param(2019, 2023, 120, [2019, 2020, 2021, 2022, 2023], id="2019-2023"),
    pytest.param(2023, 2023, 8_611, [2023], id="one-year"),
]


@pytest.mark.parametrize(("first", "last", "top", "expected"), SPANS)
def test_the_years_under_a_larger_chart_are_evenly_spaced_back_from_the_last(
    first, last, top, expected
):
    points = [Point(year, Decimal(top) * (year - first + 1) / (last - first + 1))
              for year in range(first, last + 1)]  # fmt: skip

    labels = year_labels(str(charts.line_chart(points, chart_id="c", title="T", unit="count")))

    years = [year for year, _, _ in labels]
    assert years == expected
    assert len({b - a for a, b in zip(years, years[1:], strict=False)}) <= 1


@pytest.mark.parametrize(("first", "last", "top", "expected"), SPANS)
def test_no_two_years_run_together_on_a_desktop_or_a_phone(first, last, top, expected):
    points = [Point(first, Decimal(1)), Point(last, Decimal(top))]

    labels = year_labels(str(charts.line_chart(points, chart_id="c", title="T", unit="count")))

    assert_apart(labels, charts.YEAR_SIZE)
    phone = [label for label in labels if not label[2]]
    assert_apart(phone, charts.PHONE_YEAR_SIZE)
    assert phone[-1][0] == last
    steps = {b[0] - a[0] for a, b in zip(phone, phone[1:], strict=False)}
    assert len(steps) <= 1  # a phone's years are evenly spaced too


def test_a_phone_leaves_out_years_at_a_multiple_of_the_step_when_they_would_crowd():
    ticks = charts.year_ticks(1984, 2023, 400)

    shown = [year for year, _ in ticks]
    on_phone = [year for year, minor in ticks if not minor]
    assert shown == [1988, 1993, 1998, 2003, 2008, 2013, 2018, 2023]
    assert on_phone == [1993, 2003, 2013, 2023]


def test_the_chart_css_writes_years_at_the_sizes_the_spacing_is_worked_out_for():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "charts.css").read_text()
    phone = css.split("@media (max-width: 30rem)")[1]

    assert f".chart-label {{ fill: var(--ink); font-size: {charts.YEAR_SIZE}px;" in css
    assert f".chart--large .chart-label {{ font-size: {charts.PHONE_YEAR_SIZE}px; }}" in phone
    assert ".chart--large .chart-label--minor { display: none; }" in phone
