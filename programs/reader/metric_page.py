"""The shape of a metric's page: its series, the nation's or every state's by year, and
for a total its breakdowns in a year.

Pure: built from the rows ``reader.figures.reader_series`` fetched (of the metric and its
parts) and the states, so a metric with 56 states and 20 years costs the same queries as
one with a single figure. A count with a rate gets the rates of the page's year
(``add_rates``: the year's populations, one query more).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .. import formatting
from . import charts, rates
from .charts import Point
from .trends import series_index, series_table


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
    breakdowns: list["YearBreakdown"] = field(default_factory=list)  # of ``breakdown_year``
    breakdown_year: int | None = None
    breakdown_years: list[int] = field(default_factory=list)  # newest first

    @property
    def rated_count(self):
        """The places with a rate in ``rate_year``."""
        return sum(1 for row in self.rows if row.rate is not None)

    @property
    def titles(self):
        """The source of every figure the page shows: each year's, each place's, and the
        breakdowns' of the year."""
        if self.metric.is_national:
            titles = [point.source for point in self.points]
        else:
            titles = [p.source for points in self.by_state.values() for p in points.values()]
        return titles + [title for table in self.breakdowns for title in table.titles]

    @property
    def year_sources(self):
        """[(year, [its figures' sources, each once])], newest first: what the table of
        every state by year is taken from."""
        by_year = {year: {} for year in self.years_newest_first}
        for points in self.by_state.values():
            for year, point in points.items():
                by_year[year][point.source] = None
        return [(year, list(titles)) for year, titles in by_year.items() if titles]

    @property
    def grid_source(self):
        """The one source of the table of every state by year, or None when its years
        or places name more than one (the page then says each year's)."""
        titles = {title for _, year_titles in self.year_sources for title in year_titles}
        return titles.pop() if len(titles) == 1 else None

    @property
    def sentence(self):
        """The latest national figure as the fact sheets' sentence writes it ("In 2023,
        NCMEC assisted … on 28,886 missing child cases."): what a metric without a
        definition counts, in its own words. "" for a state metric or one with no
        sentence."""
        metric = self.metric
        if not metric.is_national or not metric.sentence or not self.points:
            return ""
        point = self.points[-1]
        value = formatting.format_for_sentence(point.value, metric.unit, point.qualifier)
        # Exactly one of a count reads in the singular, as Figure.is_one says.
        one = (point.value, point.qualifier, metric.unit) == (
            1,
            formatting.EXACT,
            formatting.COUNT,
        )
        return metric.render_sentence(value=value, year=point.year, one=one)

    @property
    def years_newest_first(self):
        return list(reversed(self.years))

    @property
    def table(self):
        """The nation's series as a table writes it, newest first, with sources."""
        return series_table(self.points, self.metric.unit)

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


@dataclass
class Cell:
    """A figure as a table writes it, and its source."""

    text: str
    source: str


@dataclass
class BreakdownRow:
    """A place's figures in a breakdown: a Cell or None per part, and the total's."""

    place: object  # a state, or None for the nation
    cells: list
    total: Cell | None


@dataclass
class YearBreakdown:
    """One breakdown of the total in the page's year (``MetricPage.breakdown_year``):
    the parts, and a row for the nation or for each state with a figure."""

    label: str
    parts: list  # the part metrics, in order
    rows: list[BreakdownRow]

    @property
    def titles(self):
        cells = [cell for row in self.rows for cell in [*row.cells, row.total]]
        return [cell.source for cell in cells if cell is not None]

    @property
    def part_sources(self):
        """The sources of the parts' figures, each once."""
        cells = [cell for row in self.rows for cell in row.cells]
        return list(dict.fromkeys(cell.source for cell in cells if cell is not None))

    @property
    def total_sources(self):
        return list(dict.fromkeys(row.total.source for row in self.rows if row.total))

    @property
    def national_rows(self):
        """The nation's breakdown as rows of a table: (part, Cell or None)."""
        return list(zip(self.parts, self.rows[0].cells, strict=True)) if self.rows else []

    @property
    def by_source(self):
        """Whether the parts name different sources: the nation's table then gives each
        row's in a column."""
        return len(self.part_sources) > 1

    @property
    def one_source(self):
        """Whether the parts and the total all name one source."""
        return len(set(self.part_sources) | set(self.total_sources)) == 1


def year_breakdowns(metric, parts, index, states, year):
    """The breakdowns of ``metric`` (its ``parts`` metrics) in ``year``, from the series
    ``index`` of the metric and its parts."""

    of_year = {key: p for key, points in index.items() for p in points if p.year == year}

    def at(metric_id, state_id):
        point = of_year.get((metric_id, state_id))
        return Cell(charts.written(point, metric.unit), point.source) if point else None

    groups = {}
    for part in parts:
        if part.collected_in(year):
            groups.setdefault(part.breakdown, []).append(part)
    places = [None] if metric.is_national else states
    tables = []
    for label, group in groups.items():
        rows = []
        for place in places:
            place_id = place.pk if place else None
            cells = [at(part.pk, place_id) for part in group]
            if any(cells):
                rows.append(BreakdownRow(place, cells, at(metric.pk, place_id)))
        if rows:
            tables.append(YearBreakdown(label, group, rows))
    return tables


def build(metric, rows, states, *, parts=(), year=None):
    """The page of ``metric`` from the ``reader_series`` rows of it and its ``parts``
    (and, for a state metric, every state in order); its breakdowns are of ``year``, by
    default the latest year that has them."""
    everything = series_index(rows)
    index = {key: points for key, points in everything.items() if key[0] == metric.pk}
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
    part_ids = {part.pk for part in parts}
    page.breakdown_years = sorted(
        {p.year for (metric_id, _), points in everything.items() if metric_id in part_ids
         for p in points},
        reverse=True,
    )  # fmt: skip
    if year is None and page.breakdown_years:
        year = page.breakdown_years[0]
    if year in page.breakdown_years:
        page.breakdown_year = year
        page.breakdowns = year_breakdowns(metric, parts, everything, states, year)
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
