"""The shape of a published page: work areas, their programs, and each metric's figure.

Views fetch programs (with their metrics) and figures with a fixed number of
queries; these helpers arrange them in memory, so adding states, metrics or years
never adds a query.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from .models import Figure, Metric, Program, WorkArea


@dataclass
class Line:
    """A metric and its figure for the page's year and place (None when there is none)."""

    metric: Metric
    figure: Figure | None
    parts: list["Line"] = field(default_factory=list)

    @property
    def sentence(self):
        return self.figure.sentence if self.figure else ""


@dataclass
class ProgramBlock:
    program: Program
    national: list[Line]
    state: list[Line]

    @property
    def has_figures(self):
        return any(line.figure for line in self.national + self.state)


@dataclass
class WorkAreaBlock:
    work_area: WorkArea
    programs: list[ProgramBlock]

    @property
    def heading(self):
        return self.work_area.label


def attach(figures, metrics):
    """Index figures by (metric id, state id), pointing each at its already-loaded metric."""
    by_id = {metric.pk: metric for metric in metrics}
    index = {}
    for figure in figures:
        metric = by_id.get(figure.metric_id)
        if metric is not None:
            figure.metric = metric
            index[(figure.metric_id, figure.state_id)] = figure
    return index


def lines_for(metrics, index, state_id):
    """Lines for top-level metrics, with breakdown parts nested under their total."""
    lines, parts = [], defaultdict(list)
    for metric in metrics:
        line = Line(metric, index.get((metric.pk, state_id)))
        if metric.parent_id:
            parts[metric.parent_id].append(line)
        else:
            lines.append(line)
    for line in lines:
        line.parts = parts.get(line.metric.pk, [])
    return lines


def work_areas(programs, figures, *, state=None):
    """Group published programs under their work areas, with national and state lines.

    ``programs`` must have their metrics prefetched; ``figures`` are the year's figures
    for the nation and (if given) the one state.
    """
    programs = list(programs)
    metrics = [metric for program in programs for metric in program.metrics.all()]
    index = attach(figures, metrics)
    grouped = defaultdict(list)
    for program in programs:
        program_metrics = list(program.metrics.all())
        national = [m for m in program_metrics if m.is_national]
        for_state = [m for m in program_metrics if not m.is_national]
        grouped[program.work_area].append(
            ProgramBlock(
                program=program,
                national=lines_for(national, index, None),
                state=lines_for(for_state, index, state.pk) if state else [],
            )
        )
    return [WorkAreaBlock(WorkArea(area), grouped[area]) for area in WorkArea if grouped[area]]


def sources(figures):
    """The distinct sources of the figures on a page, in alphabetical order."""
    return sorted({figure.source for figure in figures if figure.source})
