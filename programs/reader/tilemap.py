"""A tile-grid map of the 56 jurisdictions, shaded by one metric's figures for a year.

Pure functions over already-fetched objects: ``build`` takes a metric, its figures by
state id, the states and the year, and returns what ``templates/includes/tile_map.html``
draws. The figures fall into a few classes with round bounds ("8,000 to 9,999"), a
legend says each class in words, and a state without a figure is a class of its own,
so the map never relies on colour alone. Where each tile sits is ``states.tiles``; the
colours are ``static/css/map.css`` (``PALETTE`` below is what that file must say).

A map is shaded by one of two measures: the count, or the rate per 100,000 residents
(``reader.rates``) where the metric has one and the year has populations. The rate is
the default where it exists: a map of counts mostly shows where people live.
"""

import itertools
import math
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.urls import reverse

from states.tiles import TILES

from .. import formatting
from . import rates

MAX_CLASSES = 5

# The measures a map is shaded by (the ``?measure=`` of its form). RATE is also the
# "unit" of the classes of a rate map: rates are written with one decimal.
RATE = "rate"
COUNT = "count"
MEASURES = (RATE, COUNT)
PER_RESIDENTS = "per 100,000 residents"

# (tile background, text on it), lightest first: every background has at least 3:1
# against the white page and its text at least 4.5:1 against it (tests compute both).
PALETTE = [
    ("#5b8cc8", "#000000"),
    ("#3d6fb0", "#ffffff"),
    ("#1f4e8c", "#ffffff"),
    ("#0f2f5c", "#ffffff"),
    ("#03101f", "#ffffff"),
]
# A state without a figure: the page's white, drawn by a dashed border of 5.3:1.
NO_FIGURE = ("#ffffff", "#1b1b1b", "#6b6b6b")
PAGE_BACKGROUND = "#ffffff"


@dataclass
class Bin:
    """A class of figures: ``low`` <= value < ``high`` (None: open-ended)."""

    low: Decimal | None
    high: Decimal | None
    label: str
    css_class: str
    count: int = 0

    def holds(self, value):
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


@dataclass
class Tile:
    state: object
    row: int
    column: int
    figure: object
    bin: Bin | None
    url: str
    detail: str  # what follows the visible code in the link's name
    rate: Decimal | None = None  # per 100,000 residents, where the figure has one
    rate_source: str = ""  # the source of the population the rate is of

    @property
    def code(self):
        return self.state.code

    @property
    def place_class(self):
        return f"tile-{self.state.code.lower()}"

    @property
    def shade_class(self):
        return self.bin.css_class if self.bin else "tile-none"

    @property
    def value(self):
        return self.figure.display_value if self.figure else ""

    @property
    def rate_text(self):
        return formatting.format_rate(self.rate)


@dataclass
class TileMap:
    metric: object
    year: int
    tiles: list[Tile]
    bins: list[Bin]
    no_figure_count: int
    id: str = "tile-map"
    # What the map is shaded by (RATE or COUNT); whether the metric has a rate for the
    # year (then the form offers both); whether a rate was asked for where there is none.
    measure: str = COUNT
    rate_available: bool = False
    rate_refused: bool = False
    no_rate_count: int = 0  # tiles of a rate map with a count but no rate
    # What the GET form above the map offers (nothing: no form): the metrics it may be
    # shaded by, the years, and where the form goes.
    choices: list = field(default_factory=list)
    years: list = field(default_factory=list)
    action: str = ""
    links: object = None  # reader.pictures.PictureLinks: its files and embed, on a page

    @property
    def by_rate(self):
        return self.measure == RATE

    @property
    def shown(self):
        """What the shades say: "Reports … per 100,000 residents", or where a rate could
        be shown instead, "Number of reports …"; else the metric's label."""
        if self.by_rate:
            return f"{self.metric.label} {PER_RESIDENTS}"
        if self.rate_available:
            return f"Number of {noun(self.metric)}"
        return self.metric.label

    @property
    def caption(self):
        return f"{self.shown}, by state and territory, {self.year}"

    @property
    def measure_choices(self):
        """(value, words, chosen) for the form's choice of measure."""
        return [
            (RATE, f"Rate {PER_RESIDENTS}", self.by_rate),
            (COUNT, "Count", not self.by_rate),
        ]

    @property
    def has_form(self):
        """Whether the map has a form (none without ``action``: an embedded map)."""
        choices = len(self.choices) > 1 or len(self.years) > 1 or self.rate_available
        return bool(self.action) and choices

    @property
    def has_figures(self):
        return any(tile.figure for tile in self.tiles)

    @property
    def figures(self):
        """The figures the map shows (for the page's list of sources)."""
        return [tile.figure for tile in self.tiles if tile.figure is not None]


def noun(metric):
    """How a count is named after its value: the label, lower-cased unless it starts with
    an abbreviation ("8,611 reports made available to law enforcement")."""
    label = metric.label
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def counted(metric, figure):
    """A figure with what it counts: "8,611 reports made available to law enforcement"."""
    if metric.unit == formatting.PERCENT:
        return f"{figure.display_value}, {metric.label}"
    return f"{figure.display_value} {noun(metric)}"


def described(metric, figure, state, year, *, by_rate=False, rate=None):
    """The words a tile's link carries: "Minnesota: 8,611 reports …, 2023"; on a rate
    map "Minnesota: 181.4 per 100,000 residents (10,407 reports …), 2023"."""
    if figure is None:
        return f"{state.name}: no figure, {year}"
    if not by_rate:
        return f"{state.name}: {counted(metric, figure)}, {year}"
    if rate is None:
        return f"{state.name}: no rate ({counted(metric, figure)}), {year}"
    return (
        f"{state.name}: {formatting.format_rate(rate)} {PER_RESIDENTS} "
        f"({counted(metric, figure)}), {year}"
    )


# The leading digits a class boundary may have: 8,611 rounds down to 8,000, but 19,400 to
# 15,000 rather than 10,000, so that classes near a power of ten are not too wide.
NICE = [Decimal(n) for n in ("1", "1.5", "2", "2.5", "3", "4", "5", "6", "7", "8", "9")]


def round_down(value):
    """``value`` rounded down to a round number: 8,611 → 8,000; 19,400 → 15,000; 0.37 → 0.3."""
    if value <= 0:
        return Decimal(0)
    step = Decimal(10) ** math.floor(math.log10(value))
    lead = value / step
    return max(n for n in NICE if n <= lead) * step


def bounds(values, classes=MAX_CLASSES):
    """Round class boundaries for ``values``: at most ``classes - 1`` of them, ascending,
    near the values' quantiles, so that each class holds some of the states."""
    values = sorted(values)
    if len(values) < 2:
        return []
    found = []
    for k in range(1, classes):
        quantile = values[min(len(values) - 1, (k * len(values)) // classes)]
        bound = round_down(quantile)
        if bound > values[0] and (not found or bound > found[-1]):
            found.append(bound)
    return found


def _written(value, unit):
    if unit == RATE:
        return formatting.format_rate(value)
    return formatting.format_figure(value, unit)


def _below(value, unit):
    """The largest figure below ``value`` as a legend writes it: 8,000 → "7,999"; a rate
    (one decimal) 150 → "149.9"."""
    if unit == formatting.PERCENT:
        return None
    return _written(value - (rates.ONE_DECIMAL if unit == RATE else 1), unit)


def make_bins(values, unit):
    """The classes for these figures (``unit`` RATE for rates), in words, lightest first."""
    if not values:
        return []
    edges = bounds(values)
    if unit == RATE:
        # A rate has one decimal: so do its classes' bounds (0.15 would read "0.2").
        edges = sorted({edge.quantize(rates.ONE_DECIMAL, rounding=ROUND_DOWN) for edge in edges})
        edges = [edge for edge in edges if edge > min(values)]
    if not edges:
        low, high = min(values), max(values)
        label = (
            _written(low, unit)
            if low == high
            else f"{_written(low, unit)} to {_written(high, unit)}"
        )
        return [Bin(None, None, label, "tile-bin-1")]
    bins = []
    limits = [None, *edges, None]
    for n, (low, high) in enumerate(itertools.pairwise(limits), start=1):
        if low is None:
            label = f"Under {_written(high, unit)}"
        elif high is None:
            label = f"{_written(low, unit)} or more"
        elif unit == formatting.PERCENT:
            label = f"{_written(low, unit)} to under {_written(high, unit)}"
        else:
            top = _below(high, unit)  # a class of one value ("0.2") is written as it
            label = top if top == _written(low, unit) else f"{_written(low, unit)} to {top}"
        bins.append(Bin(low, high, label, f"tile-bin-{n}"))
    return bins


def build(
    metric,
    figures_by_state,
    states,
    year,
    *,
    populations=None,
    measure=None,
    id="tile-map",
    choices=(),
    years=(),
    action="",
):
    """The map of ``metric`` in ``year``: a tile per state (alphabetical), shaded.

    ``figures_by_state`` maps a state's id to its figure for the metric and year (what
    ``reader.figures`` fetched: published only, unless in a staff preview); ``states``
    are the 56 jurisdictions. ``populations`` ({state id: residents} of the year,
    ``rates.reader_populations``) give the rates; ``measure`` is the one asked for
    (RATE, COUNT, or None for the default: the rate where the metric has one for the
    year). ``choices`` and ``years`` are what the map's form offers (a select each, when
    there is more than one), ``action`` where it sends the reader.
    """
    states = sorted(states, key=lambda state: state.name)
    figure_rates = {
        state_id: rates.figure_rate(metric, figure, populations)
        for state_id, figure in (figures_by_state.items() if populations else ())
    }
    rate_available = any(rate is not None for rate in figure_rates.values())
    population_sources = getattr(populations, "sources", {})  # rates.Populations
    by_rate = rate_available and measure != COUNT
    shaded = figure_rates if by_rate else {pk: f.value for pk, f in figures_by_state.items()}
    values = [shaded[s.pk] for s in states if shaded.get(s.pk) is not None]
    bins = make_bins(values, RATE if by_rate else metric.unit)
    tiles = []
    for state in states:
        figure, value = figures_by_state.get(state.pk), shaded.get(state.pk)
        shade = None
        if value is not None:
            shade = next(b for b in bins if b.holds(value))
            shade.count += 1
        row, column = TILES[state.code]
        rate = figure_rates.get(state.pk)
        tiles.append(
            Tile(
                state=state,
                row=row,
                column=column,
                figure=figure,
                bin=shade,
                url=reverse("states:fact_sheet", args=[state.slug, year]),
                detail=described(metric, figure, state, year, by_rate=by_rate, rate=rate),
                rate=rate,
                rate_source=population_sources.get(state.pk, "") if rate is not None else "",
            )
        )
    return TileMap(
        metric=metric,
        year=year,
        tiles=tiles,
        bins=bins,
        no_figure_count=sum(1 for tile in tiles if tile.figure is None),
        id=id,
        choices=list(choices),
        years=list(years),
        action=action,
        measure=RATE if by_rate else COUNT,
        rate_available=rate_available,
        rate_refused=measure == RATE and not rate_available,
        no_rate_count=sum(1 for t in tiles if by_rate and t.figure and t.rate is None),
    )


def default_metric(metrics, places):
    """The state metric a map shows unless the reader picks another: of ``metrics`` (in
    the programs' order), a headline one before the others, then the one with figures for
    the most states (``places``: {metric id: states with a figure in the year}), the
    first on a tie; None when none has a figure. Staff choose through each metric's
    "headline figure" box and its position: the full demo's map is of the CyberTipline
    reports of all 50 states, not of a fact sheet's one state."""
    shown = [metric for metric in metrics if places.get(metric.pk)]
    if not shown:
        return None
    return max(shown, key=lambda metric: (metric.headline, places[metric.pk]))  # first max


@dataclass
class Shown:
    """A value a tile shows when it comes from a series rather than a Figure (with what
    ``rates.figure_rate`` reads of a figure)."""

    value: Decimal
    display_value: str
    qualifier: str = formatting.EXACT
    state_id: int | None = None


def figures_for(metric, figures):
    """{state id: figure} of ``metric`` among a page's already-fetched figures."""
    return {f.state_id: f for f in figures if f.metric_id == metric.pk and f.state_id}


def points_for(metric, year_points):
    """{state id: Shown} from a metric page's [(state, Point or None)] of one year."""
    return {
        state.pk: Shown(
            point.value,
            formatting.format_figure(point.value, metric.unit, point.qualifier),
            point.qualifier,
            state.pk,
        )
        for state, point in year_points
        if point is not None
    }
