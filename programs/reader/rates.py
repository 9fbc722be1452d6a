"""Rates per 100,000 residents: a state's count beside the number of people living there.

A rate is of the population of the figure's own year and place (the reference metric
``POPULATION_KEY``, published with its year's edition like any figure), never of another
year's. Only a program's state counts for the year have one (``Metric.has_rate``): never a
percent, a running total, a national figure, or a figure NCMEC gives as "more than" or
rounded, whose rate would claim a precision the count has not. One decimal, rounded half
up: 10,407 reports among 5,737,915 residents are 181.4 per 100,000.

Pure functions over rows the pages already fetch, plus one query for the year's
populations (``reader_populations``), or several years' (``populations_by_year``).
"""

from decimal import ROUND_HALF_UP, Decimal

from .. import formatting
from ..models import POPULATION_KEY, Figure
from .trends import Rank, ranks

PER = Decimal(100_000)
ONE_DECIMAL = Decimal("0.1")


def rate_per_100k(value, population):
    """``value`` per 100,000 of ``population``, to one decimal; None without a population."""
    if value is None or not population:
        return None
    rate = Decimal(value) * PER / Decimal(population)
    return rate.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def format_rate(rate) -> str:
    """ "181.4": a rate as pages write it (always one decimal, thousands separated)."""
    return "" if rate is None else f"{rate:,.1f}"


def _populations(preview):
    """The states' populations the reader may see: exact figures only."""
    return (
        Figure.objects.visible(preview)
        .for_states()
        .filter(metric__key=POPULATION_KEY, qualifier=formatting.EXACT)
        .order_by()
    )


def reader_populations(preview, year):
    """{state id: population} of ``year``, as the reader may see them: one query."""
    return dict(_populations(preview).for_year(year).values_list("state_id", "value"))


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


def figure_rate(metric, figure, populations):
    """The rate of one figure (a ``Figure`` of ``metric``), or None: see the module."""
    if figure is None or not metric.has_rate or figure.qualifier != formatting.EXACT:
        return None
    return rate_per_100k(figure.value, populations.get(figure.state_id))


def rate_rows(metrics, rows, populations):
    """``state_values_for`` rows (metric id, state id, value) as rates: the rows of the
    metrics that have a rate and a state with a population, for ``rate_ranks``. The
    rows must be of exact figures for a rank to mean anything; a row whose figure is
    qualified is ranked by its count but has no rate."""
    with_rate = {metric.pk for metric in metrics if metric.has_rate}
    result = []
    for metric_id, state_id, value in rows:
        rate = rate_per_100k(value, populations.get(state_id)) if metric_id in with_rate else None
        if rate is not None:
            result.append((metric_id, state_id, rate))
    return result


def rate_ranks(metrics, rows, populations) -> dict[tuple[int, int], Rank]:
    """{(metric id, state id): Rank} by rate, highest first, as ``trends.ranks`` ranks
    counts (ties share a rank; too few places, no rank)."""
    return ranks(rate_rows(metrics, rows, populations))
