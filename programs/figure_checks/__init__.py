"""Checks that catch a wrong number before it is published: flags, never refusals.

A flag says which figure, what it was compared with and why it looks wrong, e.g.
"Minnesota, CyberTipline reports, 2023: 86,110 is 10.0 times 2022's 8,611." The import
preview, the figure form, the Publisher's confirmation and the year's grid show them;
publishing with flags asks the Publisher to tick that they checked them.

``year_flags(years)`` checks the saved figures of whole years; ``candidate_flags(rows)``
checks figures about to be saved (an import's rows, a form's figure) as if they were,
and returns the flags that concern them. Both make a fixed number of queries.
"""

from dataclasses import dataclass

from django.conf import settings

from . import formatting
from .models import Figure


@dataclass(frozen=True)
class Flag:
    kind: str  # "jump", "over-national", "states-over-national", "rate", "breakdown", "no-source"
    metric_id: int
    year: int
    state_id: int | None  # None: a national figure, or the states of a metric together
    message: str  # a whole sentence: the figure, what it was compared with, and why

    @property
    def key(self):
        """(metric id, year, state id): the figure's place in the year's grid."""
        return (self.metric_id, self.year, self.state_id)

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class Candidate:
    """A figure about to be saved: what the checks need of it."""

    metric: object  # a Metric
    year: int
    state: object  # a State, or None for a national figure
    value: object  # a Decimal
    qualifier: str = formatting.EXACT
    source: str = ""


def year_flags(years) -> dict[int, list[Flag]]:
    """{year: [flags]} of the saved figures of each of ``years``."""
    years = sorted(set(years))
    flags = {year: [] for year in years}
    for flag in _jumps(_saved(set(years) | {y - 1 for y in years}), years):
        flags[flag.year].append(flag)
    return flags


def candidate_flags(candidates) -> list[Flag]:
    """The flags that concern these figures, were they saved as they are."""
    candidates = list(candidates)
    years = {c.year for c in candidates}
    figures = _saved(years | {y - 1 for y in years})
    for c in candidates:
        figures[c.metric.pk, c.year, c.state.pk if c.state else None] = _Row(
            c.metric, c.state, c.value, c.qualifier or formatting.EXACT, c.source
        )
    keys = {(c.metric.pk, c.year, c.state.pk if c.state else None) for c in candidates}
    return [flag for flag in _jumps(figures, years) if flag.key in keys]


@dataclass(frozen=True)
class _Row:
    metric: object
    state: object
    value: object
    qualifier: str
    source: str


def _saved(years):
    """{(metric id, year, state id): _Row} of the saved figures of ``years``."""
    rows = Figure.objects.filter(year__in=years).select_related("metric", "state").order_by()
    return {
        (f.metric_id, f.year, f.state_id): _Row(f.metric, f.state, f.value, f.qualifier, f.source)
        for f in rows
    }


def _jumps(figures, years):
    """A figure more than JUMP times, or less than 1/JUMP of, the year before's."""
    factor = settings.FIGURE_CHECK_JUMP
    for (metric_id, year, state_id), row in figures.items():
        before = figures.get((metric_id, year - 1, state_id))
        if year not in years or before is None or not before.value or not row.value:
            continue
        ratio = row.value / before.value
        if ratio > factor or ratio < 1 / factor:
            place = row.state.name if row.state else "United States"
            unit = row.metric.unit
            now = formatting.format_figure(row.value, unit, row.qualifier)
            then = formatting.format_figure(before.value, unit, before.qualifier)
            times = f"{ratio:.1f} times" if ratio > 1 else f"1/{1 / ratio:.1f} of"
            yield Flag(
                "jump", metric_id, year, state_id,
                f"{row.metric.label}, {place}, {year}: {now} is {times} {year - 1}'s {then} "
                f"(more than {factor} times, or less than 1/{factor} of, the year before: a "
                "digit typed twice or dropped?).",
            )  # fmt: skip
