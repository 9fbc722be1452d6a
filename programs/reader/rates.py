"""Rates per 100,000 residents: a state's count beside the number of people living there.

A rate is of the population of the figure's own year and place (the reference metric
``POPULATION_KEY``, published with its year's edition like any figure), never of another
year's. Only a program's state counts for the year have one (``Metric.has_rate``): never a
percent, a running total, a national figure, or a figure NCMEC gives as "more than" or
rounded, whose rate would claim a precision the count has not. One decimal, rounded half
up: 10,407 reports among 5,737,915 residents are 181.4 per 100,000.

Ranks by rate compare the rates before rounding: Montana's 181.41 is above Minnesota's
181.37, both written 181.4, so Minnesota is 41st highest of 50 states, not tied 40th
(a table sorted by its rate column agrees: ``sort_value``). States tie only when their
rates are equal.

Pure functions over rows the pages already fetch, plus one query for the year's
populations (``reader_populations``), or several years' (``populations_by_year``).
"""

from decimal import ROUND_HALF_UP, Decimal

from .. import formatting
from ..models import POPULATION_KEY, Figure
from .trends import Rank, ranks

PER = Decimal(100_000)
ONE_DECIMAL = Decimal("0.1")


def exact_rate(value, population):
    """``value`` per 100,000 of ``population``, unrounded (what ranks compare); None
    without a population."""
    if value is None or not population:
        return None
    return Decimal(value) * PER / Decimal(population)


def rate_per_100k(value, population):
    """``value`` per 100,000 of ``population``, to one decimal; None without a population."""
    rate = exact_rate(value, population)
    return None if rate is None else rate.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _populations(preview):
    """The states' populations the reader may see: exact figures only."""
    return (
        Figure.objects.visible(preview)
        .for_states()
        .filter(metric__key=POPULATION_KEY, qualifier=formatting.EXACT)
        .order_by()
    )


class Populations(dict):
    """{state id: population} of a year, with each population's source (``sources``,
    {state id: the figure's source}): a page that shows a rate lists the source of the
    population it is of."""

    def __init__(self, rows=()):
        super().__init__()
        self.sources = {}
        for state_id, value, source in rows:
            self[state_id] = value
            self.sources[state_id] = source


def reader_populations(preview, year):
    """{state id: population} of ``year``, as the reader may see them, with their sources
    (``Populations``): one query."""
    rows = _populations(preview).for_year(year).values_list("state_id", "value", "source")
    return Populations(rows)


def populations_by_year(preview, years=None):
    """{year: {state id: population}} of ``years`` (of every year when None), as the
    reader may see them: one query (none for no year), for rows of several years (the
    downloads, the API). ``figure_rate`` takes one year's."""
    rows = _populations(preview)
    if years is not None:
        rows = rows.filter(year__in=list(years))
    populations = {}
    for year, state_id, value in rows.values_list("year", "state_id", "value"):
        populations.setdefault(year, {})[state_id] = value
    return populations


def value_rate(metric, value, qualifier, population):
    """The rate of a figure of ``metric`` given by its value and qualifier (a chart's
    ``Point``), among ``population`` residents, or None: see the module."""
    if not metric.has_rate or qualifier != formatting.EXACT:
        return None
    return rate_per_100k(value, population)


def figure_rate(metric, figure, populations):
    """The rate of one figure (a ``Figure`` of ``metric``), or None: see the module."""
    if figure is None:
        return None
    return value_rate(metric, figure.value, figure.qualifier, populations.get(figure.state_id))


def rate_ranks(metrics, rows, populations, states=None) -> dict[tuple[int, int], Rank]:
    """{(metric id, state id): Rank} by rate (before rounding), highest first, from
    ``state_values_for`` rows (metric id, state id, value), as ``trends.ranks`` ranks
    counts (ties share a rank; too few places, no rank; ``states`` to say "of 50
    states" when it is so). The rows must be of exact figures for a rate to mean
    anything."""
    with_rate = {metric.pk for metric in metrics if metric.has_rate}
    rated = [
        (metric_id, state_id, rate)
        for metric_id, state_id, value in rows
        if metric_id in with_rate
        and (rate := exact_rate(value, populations.get(state_id))) is not None
    ]
    return ranks(rated, states)


def sort_value(figure_value, population):
    """A rate as a table sorts it (``data-sort-value``): six decimals, so that the order
    of two rates written alike is their ranks' order."""
    rate = exact_rate(figure_value, population)
    return "" if rate is None else f"{rate:.6f}"
