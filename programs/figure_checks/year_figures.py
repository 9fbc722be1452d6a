"""The figures the checks read, in memory: the saved figures of some years, with the
figures about to be saved put in their places (``put``), the metrics, the places' names,
and how many figures of each metric outside those years give a source. Four queries,
whatever the data; plain tuples, as 200,000 model instances would cost seconds to build."""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Max

from states.models import State

from .. import formatting
from ..models import Figure, Metric

NATION = "United States"


class Cell(NamedTuple):
    """One figure, as the checks read it."""

    value: Decimal
    qualifier: str
    source: str


class YearFigures:
    """The figures of ``years`` (of every year when None); of the totals of breakdowns
    and their parts only with ``breakdowns_only``.

    ``cells[metric id, year]`` is {state id (None for the nation): Cell}; ``parts[total
    id]`` is {breakdown: [part ids]}; ``sourced[metric id]`` is (how many of its figures
    of the other years give a source, one of those sources), counted by the database."""

    def __init__(self, years=None, *, breakdowns_only=False):
        self.metrics = {metric.pk: metric for metric in Metric.objects.all()}
        self.rank = {pk: i for i, pk in enumerate(self.metrics)}  # the admin's order
        self.by_key = {metric.key: metric for metric in self.metrics.values()}
        self.places = dict(State.objects.values_list("pk", "name"))
        self.parts = defaultdict(lambda: defaultdict(list))
        for metric in self.metrics.values():
            if metric.parent_id:
                self.parts[metric.parent_id][metric.breakdown].append(metric.pk)
        self.cells = defaultdict(dict)
        rows = Figure.objects.order_by()
        if years is not None:
            rows = rows.filter(year__in=set(years))
        if breakdowns_only:
            parts = [pk for groups in self.parts.values() for ids in groups.values() for pk in ids]
            rows = rows.filter(metric_id__in=[*self.parts, *parts])
        columns = ("metric_id", "year", "state_id", "value", "qualifier", "source")
        for metric_id, year, state_id, value, qualifier, source in rows.values_list(*columns):
            self.cells[metric_id, year][state_id] = Cell(value, qualifier, source)
        self.sourced = {}
        if years is not None:  # the other years' figures, counted by the database
            elsewhere = (
                Figure.objects.exclude(year__in=set(years))
                .exclude(source="")
                .order_by()
                .values("metric_id")
                .annotate(count=Count("pk"), example=Max("source"))
            )
            self.sourced = {row["metric_id"]: (row["count"], row["example"]) for row in elsewhere}

    def put(self, candidate):
        """Put a figure about to be saved in its place, as if saved; its key."""
        state = candidate.state
        key = (candidate.metric.pk, candidate.year, None if state is None else state.pk)
        self.cells[key[:2]][key[2]] = Cell(
            candidate.value, candidate.qualifier or formatting.EXACT, candidate.source or ""
        )
        return key

    def place(self, state_id):
        return NATION if state_id is None else self.places[state_id]

    def name(self, metric_id, year, state_id):
        """How a flag names a figure: "CyberTipline reports, Minnesota, 2023"."""
        return f"{self.metrics[metric_id].label}, {self.place(state_id)}, {year}"

    def written(self, metric_id, cell):
        """A figure's value as pages write it: "8,611", "more than 18,400", "19%"."""
        return formatting.format_figure(cell.value, self.metrics[metric_id].unit, cell.qualifier)

    def of(self, metric_id, year):
        """{state id: Cell} of a metric's figures in ``year`` (empty if none)."""
        return self.cells.get((metric_id, year), {})

    def sort_key(self, flag):
        """Flags by year, then metric in the admin's order, then place (the nation first)."""
        place = "" if flag.state_id is None else self.places.get(flag.state_id, "")
        return (flag.year, self.rank.get(flag.metric_id, len(self.rank)), place)
