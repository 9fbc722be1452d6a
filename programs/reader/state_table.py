"""A program page's one table of states: a row per state with a figure, a column per
state metric (a breakdown's parts as columns of their own, after their total).

Pure functions over already-fetched objects, like ``layout``.
"""

from dataclasses import dataclass

from .layout import lines_for


@dataclass
class Column:
    metric: object
    part_of: object = None  # the total metric, for a breakdown part

    @property
    def label(self):
        return self.metric.label


@dataclass
class Row:
    state: object
    figures: list  # a figure or None per column, in the columns' order


@dataclass
class StateTable:
    columns: list[Column]
    rows: list[Row]
    without_figures: list  # the states with no figure in any column, by name


def columns_for(metrics):
    """The table's columns: each total, then its parts (``metrics`` in page order)."""
    columns = []
    for line in lines_for(metrics, {}, None):
        columns.append(Column(line.metric))
        columns += [Column(part.metric, part_of=line.metric) for part in line.parts]
    return columns


def state_table(metrics, index, states):
    """``metrics`` the program's state metrics of the year, ``index`` its figures by
    (metric id, state id) (``reader.figures.attach``), ``states`` every jurisdiction."""
    columns = columns_for(metrics)
    rows, without = [], []
    for state in sorted(states, key=lambda state: state.name):
        figures = [index.get((column.metric.pk, state.pk)) for column in columns]
        if any(figures):
            rows.append(Row(state, figures))
        else:
            without.append(state)
    return StateTable(columns=columns, rows=rows, without_figures=without)
