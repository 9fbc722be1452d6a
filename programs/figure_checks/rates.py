"""A state's rate per 100,000 residents against the median of the states' that year."""

from decimal import ROUND_HALF_UP
from statistics import median

from django.conf import settings

from .. import formatting
from ..models import POPULATION_KEY
from ..reader.rates import ONE_DECIMAL, exact_rate
from .flags import Flag

# A median of fewer states says little about what is usual: with two or three, one
# state's rate is half of what the median is made of.
MIN_STATES = 10


def high_rates(figures, years):
    """A rate more than RATE_MEDIAN times the median of the states' rates of its metric
    and year, of at least MIN_STATES states; exact figures and populations only, as
    pages give rates (programs/reader/rates.py)."""
    factor = settings.FIGURE_CHECK_RATE_MEDIAN
    population = figures.by_key.get(POPULATION_KEY)
    if population is None:
        return
    for metric in list(figures.metrics.values()):
        if not metric.has_rate:
            continue
        for year in years:
            residents = figures.of(population.pk, year)
            rates = {}
            for state_id, cell in figures.of(metric.pk, year).items():
                people = residents.get(state_id)
                if state_id is None or people is None or not _exact(cell, people):
                    continue
                rate = exact_rate(cell.value, people.value)
                if rate is not None:
                    rates[state_id] = rate
            if len(rates) < MIN_STATES:
                continue
            middle = median(rates.values())
            for state_id, rate in rates.items():
                if not middle or rate <= factor * middle:
                    continue
                cell, people = figures.of(metric.pk, year)[state_id], residents[state_id]
                flag = Flag(
                    "rate", metric.pk, year, state_id,
                    f"{figures.name(metric.pk, year, state_id)}: "
                    f"{_written(rate)} per "
                    f"100,000 residents ({figures.written(metric.pk, cell)} among "
                    f"{figures.written(population.pk, people)}) is {rate / middle:,.1f} times "
                    f"the median of the {len(rates):,} states' rates that year, "
                    f"{_written(middle)}; more than "
                    f"{factor} times is unusual: a digit typed twice, or the wrong population?",
                )  # fmt: skip
                yield flag, ((metric.pk, year, state_id), (population.pk, year, state_id))


def _exact(*cells):
    return all(cell.qualifier == formatting.EXACT for cell in cells)


def _written(rate):
    """ "181.4": one decimal, rounded half up, as pages write a rate."""
    return formatting.format_rate(rate.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))
