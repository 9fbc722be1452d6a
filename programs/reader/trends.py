"""A figure in time: its change from the year before, its rank among the states, and the
series of its published years as a chart and a table.

Pure functions over rows the views already fetched (``Figure.objects.series_for`` and
``state_values_for``), so trends add no query per metric, state or year.

What a change means depends on the metric's period (``Metric.change_kind``): a count for
the year is compared as a difference and a percent, a percent for the year in
percentage points. A running total since the program began is not compared: its
difference from the year before is not the year's count (totals are revised as cases
close or are recounted), and a percent "growth" of a running total reads as a trend it
is not. Its chart still shows how it grew.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from states import jurisdictions

from .. import formatting
from ..models import Metric
from . import charts
from .charts import Point
from .sources import SeriesTable

# A page about one year (a fact sheet, a program's year) draws each figure over the years
# up to it, this many: enough to see where it is going, and the page costs the same at
# five years of data as at fifty. The metric's own page shows every year.
TREND_YEARS = 5

# A rank is shown only when enough places reported the metric that year for it to mean
# something: "2nd of 3" says little.
MIN_RANKED = 10
MINUS = "\N{MINUS SIGN}"


def trend_years(year):
    """The years a page about ``year`` draws its trends over: (first, last)."""
    return (year - TREND_YEARS + 1, year)


def series_table(points, unit):
    """``points`` (oldest first) as a table writes them: newest first, with sources."""
    return SeriesTable([(p.year, charts.written(p, unit), p.source) for p in reversed(points)])


def series_index(rows):
    """{(metric id, state id): [Point, …] oldest first} from ``series_for`` rows."""
    index = defaultdict(list)
    for metric_id, state_id, year, value, qualifier, source in rows:
        index[(metric_id, state_id)].append(Point(year, value, qualifier, source))
    for points in index.values():
        points.sort(key=lambda p: p.year)
    return index


def _percent_text(difference, previous):
    percent = (difference / previous * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if percent >= 0 else MINUS
    return sign + formatting.format_figure(abs(percent), formatting.PERCENT)


@dataclass
class Change:
    """The figure beside the previous year's: "up 1,204 (+16.2%) from 7,407 in 2022"."""

    metric: Metric
    current: Point
    previous: Point
    # A dated note that starts with the current year (the counting changed, most often):
    # the comparison is given, with a warning that the years are not alike.
    note_starts: bool = False

    @property
    def difference(self):
        return self.current.value - self.previous.value

    @property
    def text(self):
        text = self._comparison()
        if self.note_starts:
            text += (
                f" The note above applies from {self.current.year}, not to {self.previous.year}."
            )
        return text

    def _comparison(self):
        unit, kind = self.metric.unit, self.metric.change_kind
        before = f"{charts.written(self.previous, unit)} in {self.previous.year}"
        qualifiers = {self.current.qualifier, self.previous.qualifier}
        if formatting.MORE_THAN in qualifiers:
            # "more than 18,400" is a floor: the difference between two floors is not known.
            return f"It was {before}."
        if self.difference == 0:
            return f"The same as in {self.previous.year}."
        direction = "Up" if self.difference > 0 else "Down"
        about = "about " if formatting.ROUNDED in qualifiers else ""
        size = abs(self.difference)
        if kind == "points":
            amount = formatting.format_figure(size)
            points = "percentage point" if size == 1 else "percentage points"
            return f"{direction} {amount} {points} from {before}."
        amount = formatting.format_figure(size, unit, formatting.ROUNDED if about else "")
        if self.previous.value == 0:
            return f"{direction} {about}{amount} from {before}."
        percent = _percent_text(self.difference, self.previous.value)
        return f"{direction} {about}{amount} ({percent}) from {before}."


def change_for(metric, figure, points, notes=()):
    """The change from the previous year's published figure; None when the metric's
    period makes no change meaningful or there is no figure for the year before.
    ``notes`` are the metric's dated notes shown with the figure."""
    if figure is None or metric.change_kind is None:
        return None
    previous = next((p for p in points if p.year == figure.year - 1), None)
    if previous is None:
        return None
    current = Point(figure.year, figure.value, figure.qualifier)
    note_starts = any(note.first_year == figure.year for note in notes)
    return Change(metric, current, previous, note_starts=note_starts)


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# What the places ranked are, as a rank says it: "of 50 states" only when every state is
# ranked and nothing else is; "states reporting" when some states have no figure; the
# District of Columbia or a territory among them makes them "states and territories".
EVERY_STATE = "states"
SOME_STATES = "states reporting"
ANY_PLACES = "states and territories reporting"


@dataclass(frozen=True)
class Rank:
    """Where a state's figure stands among the places that reported the metric that
    year, highest first; tied places share a rank."""

    position: int
    of: int
    tied: bool = False
    among: str = ANY_PLACES

    @property
    def text(self):
        tied = "tied " if self.tied else ""
        place = ordinal(self.position)
        return f"{tied}{place} highest of {self.of} {self.among}"


def ranked_places(state_ids, states):
    """How a rank names ``state_ids``, the places ranked (``Rank.among``), given
    ``states``, every jurisdiction (``State`` objects; None: the cautious wording)."""
    if states is None:
        return ANY_PLACES
    every_state = {state.pk for state in states if state.kind == jurisdictions.STATE}
    if not set(state_ids) <= every_state:
        return ANY_PLACES
    return EVERY_STATE if len(set(state_ids)) == len(every_state) else SOME_STATES


def ranks(rows, states=None):
    """{(metric id, state id): Rank} from ``state_values_for`` rows, for the metrics that
    at least MIN_RANKED places reported. ``states`` (every jurisdiction, as
    ``catalog.states()`` gives them) lets a rank say "of 50 states" when it is so."""
    by_metric = defaultdict(list)
    for metric_id, state_id, value in rows:
        by_metric[metric_id].append((state_id, value))
    result = {}
    for metric_id, values in by_metric.items():
        if len(values) < MIN_RANKED:
            continue
        among = ranked_places([state_id for state_id, _ in values], states)
        ordered = sorted((value for _, value in values), reverse=True)
        first_at, count = {}, Counter(ordered)
        for position, value in enumerate(ordered, start=1):
            first_at.setdefault(value, position)
        for state_id, value in values:
            result[(metric_id, state_id)] = Rank(
                first_at[value], len(values), count[value] > 1, among
            )
    return result


@dataclass
class Trend:
    """What a page shows of a line's figure in time."""

    metric: Metric
    place: str
    year: int
    chart_id: str
    points: list[Point] = field(default_factory=list)
    change: Change | None = None
    rank: Rank | None = None  # by the figure itself: for a count, by count
    chart: str = ""
    # A state's count per 100,000 residents (reader.rates) and its rank by that rate.
    rate: Decimal | None = None
    rate_rank: Rank | None = None

    @property
    def rate_text(self):
        """ "That is 181.4 per 100,000 residents." """
        if self.rate is None:
            return ""
        return f"That is {formatting.format_rate(self.rate)} per 100,000 residents."

    def _ranked(self):
        """[(rank, what it ranks by)]: by rate first, then by the figure itself."""
        ranked = []
        if self.rate_rank is not None:
            ranked.append((self.rate_rank, " by rate"))
        if self.rank is not None:
            by = " by count" if self.metric.unit == formatting.COUNT else ""
            ranked.append((self.rank, by))
        return ranked

    def _ranks(self):
        return " and ".join(f"{rank.text}{by}" for rank, by in self._ranked())

    def _ranks_short(self):
        """The ranks, the second without the places when they are the first's: "41st
        highest of 50 states by rate and 26th highest by count"."""
        ranked = self._ranked()
        if len(ranked) == 2:
            (first, by_first), (second, by_second) = ranked
            if (first.of, first.among) == (second.of, second.among):
                tied = "tied " if second.tied else ""
                second_text = f"{tied}{ordinal(second.position)} highest{by_second}"
                return f"{first.text}{by_first} and {second_text}"
        return self._ranks()

    @property
    def rank_text(self):
        """ "Minnesota ranks 41st highest of 50 states by rate and 22nd highest of 50
        states by count in 2023.": each rank says what it ranks by (a percent's rank is
        by the percent, said plainly)."""
        ranked = self._ranked()
        if not ranked:
            return ""
        verb = "is" if ranked[0][0].tied else "ranks"  # "Iowa is tied 3rd highest …"
        return f"{self.place} {verb} {self._ranks()} in {self.year}."

    @property
    def key_texts(self):
        """What a key figure says under its value and label, where the place and year
        are the heading's: its change, its rate ("181.4 per 100,000 residents.") and its
        ranks ("41st highest of 50 states by rate and 26th highest by count.")."""
        rate = ""
        if self.rate is not None:
            rate = f"{formatting.format_rate(self.rate)} per 100,000 residents."
        ranks = self._ranks_short()
        ranks = ranks[0].upper() + ranks[1:] + "." if ranks else ""
        change = self.change.text if self.change else ""
        return [text for text in (change, rate, ranks) if text]

    @property
    def texts(self):
        """What is said under the figure's sentence, in order: its rate, its change, its
        ranks."""
        change = self.change.text if self.change else ""
        return [text for text in (self.rate_text, change, self.rank_text) if text]

    @property
    def years_label(self):
        """The years the chart draws: "2019–2023"."""
        return charts.years_label(self.points)

    @property
    def table(self):
        """The series as a table writes it, newest first, with each year's source."""
        return series_table(self.points, self.metric.unit)


def chart_id(metric, place_code):
    """An id unique on a page: a metric appears once per place."""
    return f"trend-{metric.key}-{place_code.lower()}"


def trend_for(metric, figure, points, *, place, place_code, year, rank=None, notes=()):
    trend = Trend(
        metric=metric,
        place=place,
        year=year,
        chart_id=chart_id(metric, place_code),
        points=points,
        change=change_for(metric, figure, points, notes),
        rank=rank,
    )
    if len(points) > 1:
        trend.chart = charts.sparkline(
            points,
            chart_id=trend.chart_id,
            title=f"{metric.label}, {place}, {charts.years_label(points)}",
            unit=metric.unit,
            current_year=year,
        )
    return trend


def add_trends(lines, series, *, year, state=None, rank_index=None):
    """Give each top-level line with a figure its trend (``line.trend``): the nation's
    lines when ``state`` is None, the state's otherwise."""
    state_id = state.pk if state else None
    place = state.name if state else "United States"
    code = state.code if state else "US"
    for line in lines:
        if line.figure is None:
            continue
        key = (line.metric.pk, state_id)
        line.trend = trend_for(
            line.metric,
            line.figure,
            series.get(key, []),
            place=place,
            place_code=code,
            year=year,
            rank=(rank_index or {}).get(key) if state else None,
            notes=line.notes,
        )
    return lines


def fact_sheet_lines(work_areas):
    """A fact sheet's top-level lines: (the nation's, the state's)."""
    blocks = [block for area in work_areas for block in area.programs]
    return (
        [line for block in blocks for line in block.national],
        [line for block in blocks for line in block.state],
    )
