"""The shape of a metric's page: its series, the nation's or every state's by year.

Pure: built from the rows ``reader.figures.reader_series`` fetched and the states, so a
metric with 56 states and 20 years costs the same queries as one with a single figure.
A count with a rate gets the rates of the page's year (``add_rates``: the year's
populations, one query more).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .. import formatting
from . import charts, rates
from .charts import Point
from .trends import series_index


@dataclass
class StateRow:
    state: object
    cells: list  # per year, oldest first: the figure as written, or "" for none
    rate: Decimal | None = None  # of the figure of the page's ``rate_year``


@dataclass
class MetricPage:
    metric: object
    years: list[int]  # oldest first
    points: list[Point] = field(default_factory=list)  # the nation's, or the states' total
    rows: list[StateRow] = field(default_factory=list)
    states_without: list = field(default_factory=list)
    reported: list[int] = field(default_factory=list)  # per year: places with a figure
    by_state: dict = field(default_factory=dict)  # state id: {year: Point}
    states: list = field(default_factory=list)
    chart: str = ""
    rate_year: int | None = None  # the year of the rate column, when there is one

    @property
    def rated_count(self):
        """The places with a rate in ``rate_year``."""
        return sum(1 for row in self.rows if row.rate is not None)

    @property
    def years_newest_first(self):
        return list(reversed(self.years))

    @property
    def table_rows(self):
        """The nation's (or the total's) series as a table writes it, newest first."""
        return [(p.year, charts.written(p, self.metric.unit)) for p in reversed(self.points)]

    @property
    def total_cells(self):
        by_year = {p.year: charts.written(p, self.metric.unit) for p in self.points}
        return [by_year.get(year, "") for year in self.years]

    def state_figures_in(self, year):
        """[(state, Point or None)] for every state in ``year``: what a map of the year
        shades, already fetched."""
        if year is None or self.metric.is_national:
            return []
        return [(state, self.by_state.get(state.pk, {}).get(year)) for state in self.states]


def states_total(points_by_state, years):
    """The sum of the states' figures each year, as a Point: "more than" when any part is
    a floor, rounded when any part is rounded. Percents do not add up: none for them."""
    totals = []
    for year in years:
        parts = [points[year] for points in points_by_state.values() if year in points]
        if not parts:
            continue
        qualifiers = {p.qualifier for p in parts}
        qualifier = (
            formatting.MORE_THAN
            if formatting.MORE_THAN in qualifiers
            else formatting.ROUNDED
            if formatting.ROUNDED in qualifiers
            else formatting.EXACT
        )
        totals.append(Point(year, sum((p.value for p in parts), Decimal(0)), qualifier))
    return totals


def build(metric, rows, states):
    """The page of ``metric`` from its ``reader_series`` rows (and, for a state metric,
    every state in order)."""
    index = series_index(rows)
    years = sorted({point.year for points in index.values() for point in points})
    page = MetricPage(metric=metric, years=years, states=states)
    if metric.is_national:
        page.points = index.get((metric.pk, None), [])
        title = f"{metric.label}, United States, {charts.years_label(page.points)}"
    else:
        page.by_state = {
            state_id: {p.year: p for p in points} for (_, state_id), points in index.items()
        }
        for state in states:
            points = page.by_state.get(state.pk)
            if not points:
                page.states_without.append(state)
                continue
            cells = [
                charts.written(points[year], metric.unit) if year in points else ""
                for year in years
            ]
            page.rows.append(StateRow(state, cells))
        page.reported = [
            sum(1 for points in page.by_state.values() if year in points) for year in years
        ]
        if metric.unit == formatting.COUNT:
            page.points = states_total(page.by_state, years)
        title = (
            f"{metric.label}, total of the states and territories reporting, "
            f"{charts.years_label(page.points)}"
        )
    if len(page.points) > 1:
        page.chart = charts.line_chart(
            page.points, chart_id=f"chart-{metric.key}", title=title, unit=metric.unit
        )
    return page


def add_rates(page, year, populations):
    """Each state's rate per 100,000 residents in ``year`` (``StateRow.rate``), given the
    year's ``populations``; the page has a column of them (``rate_year``) when some
    state has one."""
    for row in page.rows:
        point = page.by_state.get(row.state.pk, {}).get(year)
        if point is not None:
            population = populations.get(row.state.pk)
            row.rate = rates.value_rate(page.metric, point.value, point.qualifier, population)
    if any(row.rate is not None for row in page.rows):
        page.rate_year = year
    return page
