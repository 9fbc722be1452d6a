"""Checks that catch a wrong number before it is published: flags, never refusals.

A flag says which figure, what it was compared with and why it looks wrong, e.g.
"Reports made available to law enforcement, Minnesota, 2023: 86,110 is 10.0 times
2022's 8,611 (more than 3 times, …: a digit typed twice or dropped?)." The import
preview, the figure form, the Publisher's confirmation and the year's grid show them;
publishing with flags asks the Publisher to tick that they checked them.

The checks, each a function of the figures in memory (``YearFigures``) and the years to
check, yielding each flag with the figures it involves:

- "jump" (changes.py): more than FIGURE_CHECK_JUMP times, or under 1/that of, the year
  before's;
- "over-national", "states-over-national" (totals.py): a state figure, or the states'
  sum, over the national figure of the metric's national total (``Metric.national_total``);
- "rate" (rates.py): a rate per 100,000 over FIGURE_CHECK_RATE_MEDIAN times the median
  of the states' that year (of at least ``rates.MIN_STATES`` states);
- "breakdown" (totals.py): parts that do not add up to their total;
- "no-source" (sources.py): no source, where other figures of the metric give one.

``year_flags(years)`` checks the saved figures of whole years; ``candidate_flags(rows)``
checks figures about to be saved (an import's rows, a form's figure) as if they were,
and returns the flags that concern them; ``breakdown_flags()`` checks the breakdowns of
every year (the figure list's warning). Each makes a fixed number of queries.
"""

from . import changes, rates, sources, totals
from .flags import Candidate, Flag
from .year_figures import YearFigures

__all__ = ["Candidate", "Flag", "breakdown_flags", "candidate_flags", "year_flags"]

# In this order, the flags of one figure.
CHECKS = (
    changes.jumps,
    totals.over_national,
    totals.states_over_national,
    rates.high_rates,
    totals.breakdowns,
    sources.no_source,
)


def year_flags(years) -> dict[int, list[Flag]]:
    """{year: [flags]} of the saved figures of each of ``years``: four queries."""
    years = set(years)
    flags = {year: [] for year in sorted(years)}
    if not years:
        return flags
    figures = YearFigures(years | {year - 1 for year in years})
    for flag in _sorted(figures, (flag for flag, _ in _checked(figures, years))):
        flags[flag.year].append(flag)
    return flags


def candidate_flags(candidates) -> list[Flag]:
    """The flags that concern these figures, were they saved as they are: of a candidate,
    or that a candidate takes part in (the parts of a total, a national figure, a
    population, the year before of a jump): four queries. A candidate is a Candidate,
    or anything with its attributes (an import's checked row)."""
    candidates = list(candidates)
    if not candidates:
        return []
    years = {c.year for c in candidates}
    # A figure is the year before of the next year's: a change may make that one jump.
    after = {year + 1 for year in years}
    figures = YearFigures(years | after | {year - 1 for year in years})
    keys = {figures.put(candidate) for candidate in candidates}
    found = (
        flag
        for flag, involved in _checked(figures, years, jump_years=years | after)
        if not keys.isdisjoint(involved)
    )
    return _sorted(figures, found)


def breakdown_flags() -> list[Flag]:
    """The breakdowns of every year whose parts do not add up to their total: three
    queries, reading the figures of totals and their parts only."""
    figures = YearFigures(breakdowns_only=True)
    years = {year for _, year in figures.cells}
    return _sorted(figures, (flag for flag, _ in totals.breakdowns(figures, years)))


def _checked(figures, years, *, jump_years=None):
    for check in CHECKS:
        yield from check(figures, jump_years if check is changes.jumps and jump_years else years)


def _sorted(figures, flags):
    return sorted(flags, key=figures.sort_key)
