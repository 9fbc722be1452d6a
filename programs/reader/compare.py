"""The compare page: a few states side by side with the nation, a row per metric grouped
by program (as Census QuickFacts does).

``compare_figures`` fetches (one query; two in a staff preview); ``comparison`` arranges
in memory. A count with a rate (``reader.rates``: the year's populations, one query
more) has a row of the states' rates per 100,000 residents right under it, where the
states' rates compare as their counts do above.
"""

from dataclasses import dataclass

from django.db.models import Q

from ..models import Figure, PendingChange
from .figures import attach, with_pending
from .layout import collected
from .rates import figure_rate

MAX_STATES = 6


def compare_figures(preview, *, year, states):
    """The year's national figures and those of ``states``, as a reader may see them."""
    places = Q(state__in=states) | Q(state__isnull=True)
    figures = list(Figure.objects.visible(preview).for_year(year).filter(places).for_pages())
    if not preview:
        return figures
    pending = PendingChange.objects.for_year(year).filter(places).select_related("state")
    return with_pending(figures, list(pending))


@dataclass
class CompareRow:
    metric: object
    national: object  # the national figure, or None
    # (state, its figure or None, the figure's rate per 100,000 residents or None) per
    # state; empty for a national metric
    states: list
    is_rate: bool = False  # the row of the rates of the row above

    @property
    def is_national(self):
        return self.metric.is_national

    @property
    def figures(self):
        """The figures the row shows (the nation's for a national metric, else the
        states', none for a row of rates), None where there is none."""
        if self.is_national:
            return [self.national]
        return [] if self.is_rate else [figure for _, figure, _ in self.states]

    @property
    def rated_states(self):
        """The states whose rate per 100,000 residents a row of rates shows."""
        return [state for state, _, rate in self.states if rate is not None and self.is_rate]


@dataclass
class CompareGroup:
    program: object
    rows: list[CompareRow]


def comparison(programs, figures, states, year, populations=None):
    """A group per program with metrics collected in ``year``, a row per metric (a
    breakdown part right after its total): every state metric, and the nation's headline
    figures for context (its detail, such as the CyberTipline's breakdowns, compares no
    state and stays on the program's page). ``programs`` have their metrics prefetched;
    ``populations`` are the year's ({state id: population}) for the rates."""
    populations = populations or {}
    programs = list(programs)
    metrics = [metric for program in programs for metric in program.metrics.all()]
    index = attach(figures, metrics)
    groups = []
    for program in programs:
        rows = []
        for metric in ordered(collected(program.metrics.all(), year)):
            if metric.is_national:
                if not metric.headline:
                    continue
                rows.append(CompareRow(metric, index.get((metric.pk, None)), []))
            else:
                figures = [(state, index.get((metric.pk, state.pk))) for state in states]
                cells = [
                    (state, figure, figure_rate(metric, figure, populations))
                    for state, figure in figures
                ]
                rows.append(CompareRow(metric, None, cells))
                if any(rate is not None for _, _, rate in cells):
                    rows.append(CompareRow(metric, None, cells, is_rate=True))
        if rows:
            groups.append(CompareGroup(program, rows))
    return groups


def ordered(metrics):
    """Totals in their order, each followed by its parts."""
    parts = {}
    for metric in metrics:
        if metric.parent_id:
            parts.setdefault(metric.parent_id, []).append(metric)
    result = []
    for metric in metrics:
        if not metric.parent_id:
            result += [metric, *parts.pop(metric.pk, [])]
    # A part whose total is not collected that year still gets its row.
    return result + [part for group in parts.values() for part in group]
