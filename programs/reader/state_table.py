"""A program page's one table of states: a row per state with a figure, a column per
state metric (a breakdown's parts as columns of their own, after their total), and
beside a count that has a rate (``Metric.has_rate``) a column of its rate per 100,000
residents, when some state has a population for the year.

Pure functions over already-fetched objects, like ``layout``.
"""

from dataclasses import dataclass, field

from . import rates
from .layout import lines_for


@dataclass
class Column:
    metric: object
    part_of: object = None  # the total metric, for a breakdown part
    is_rate: bool = False  # the metric's rate per 100,000 residents, not its figure
    sources: list = field(default_factory=list)  # its figures' sources, each once ("": none)

    @property
    def label(self):
        return self.metric.label


@dataclass
class Cell:
    """A figure (or None), or in a rate column the figure's rate (None: no rate)."""

    figure: object
    is_rate: bool = False
    rate: object = None
    sort_value: str = ""  # data-sort-value: the figure's value, or the rate's


@dataclass
class Row:
    state: object
    cells: list[Cell]  # one per column, in the columns' order

    @property
    def figures(self):
        """The figures of the row's figure columns (rate columns left out)."""
        return [cell.figure for cell in self.cells if not cell.is_rate]


@dataclass
class StateTable:
    columns: list[Column]
    rows: list[Row]
    without_figures: list  # the states with no figure in any column, by name

    @property
    def source_titles(self):
        """The source of every figure in the table."""
        return [figure.source for row in self.rows for figure in row.figures if figure]

    @property
    def rated_states(self):
        """The states whose rate per 100,000 residents the table gives."""
        return [row.state for row in self.rows if any(c.rate is not None for c in row.cells)]

    @property
    def sources(self):
        """The one list of sources every column shares, or None when they differ (the
        table then says each column's)."""
        kinds = {tuple(column.sources) for column in self.columns if column.sources}
        return list(kinds.pop()) if len(kinds) == 1 else None


def columns_for(metrics, rated=()):
    """The table's columns: each total, then its parts (``metrics`` in page order), each
    metric of ``rated`` (ids) followed by its rate."""
    columns = []
    for line in lines_for(metrics, {}, None):
        for column in [Column(line.metric)] + [
            Column(part.metric, part_of=line.metric) for part in line.parts
        ]:
            columns.append(column)
            if column.metric.pk in rated:
                columns.append(Column(column.metric, column.part_of, is_rate=True))
    return columns


def cell(column, figure, populations):
    if not column.is_rate:
        value = "" if figure is None else f"{figure.value}"
        return Cell(figure, sort_value=value)
    rate = rates.figure_rate(column.metric, figure, populations)
    if rate is None:
        return Cell(figure, is_rate=True)
    sort_value = rates.sort_value(figure.value, populations[figure.state_id])
    return Cell(figure, is_rate=True, rate=rate, sort_value=sort_value)


def rated_metrics(metrics, index, populations):
    """The ids of ``metrics`` with a rate for some state: the ones with a rate column."""
    return {
        metric.pk
        for metric in metrics
        if any(
            rates.figure_rate(metric, index.get((metric.pk, state_id)), populations) is not None
            for state_id in populations
        )
    }


def state_table(metrics, index, states, populations=None):
    """``metrics`` the program's state metrics of the year, ``index`` its figures by
    (metric id, state id) (``reader.figures.attach``), ``states`` every jurisdiction,
    ``populations`` the year's ({state id: population}, ``rates.reader_populations``)."""
    populations = populations or {}
    columns = columns_for(metrics, rated_metrics(metrics, index, populations))
    rows, without = [], []
    for state in sorted(states, key=lambda state: state.name):
        figures = [index.get((column.metric.pk, state.pk)) for column in columns]
        if any(figures):
            cells = [cell(c, f, populations) for c, f in zip(columns, figures, strict=True)]
            rows.append(Row(state, cells))
        else:
            without.append(state)
    for position, column in enumerate(columns):
        if not column.is_rate:
            figures = [row.cells[position].figure for row in rows]
            column.sources = list(dict.fromkeys(f.source for f in figures if f is not None))
    return StateTable(columns=columns, rows=rows, without_figures=without)
