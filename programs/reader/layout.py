"""The shape of a published page: work areas, their programs, and each metric's figure.

Views fetch programs (with their metrics and notes) and figures with a fixed number of
queries (``reader.figures``); these helpers arrange them in memory, so adding states,
metrics or years never adds a query. A page shows a metric only in the years it is
collected.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Figure, Metric, MetricNote, Program, WorkArea
from .figures import attach


@dataclass
class Line:
    """A metric and its figure for the page's year and place (None when there is none)."""

    metric: Metric
    figure: Figure | None
    parts: list["Line"] = field(default_factory=list)
    notes: list[MetricNote] = field(default_factory=list)
    trend: object = None  # a reader.trends.Trend, on the pages that show one

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


def collected(metrics, year):
    """The metrics collected in ``year`` (all of them when there is no year)."""
    return [m for m in metrics if year is None or m.collected_in(year)]


def notes_for(metric, year):
    """The metric's dated notes that apply to ``year`` (its notes must be prefetched)."""
    if year is None:
        return []
    return [note for note in metric.notes.all() if note.applies_to(year)]


def lines_for(metrics, index, state_id, year=None):
    """Lines for top-level metrics, with breakdown parts nested under their total."""
    lines, parts = [], defaultdict(list)
    for metric in metrics:
        line = Line(metric, index.get((metric.pk, state_id)), notes=notes_for(metric, year))
        if metric.parent_id:
            parts[metric.parent_id].append(line)
        else:
            lines.append(line)
    for line in lines:
        line.parts = parts.get(line.metric.pk, [])
    return lines


def headlines(metrics):
    """The metrics fact sheets and the home page show (``Metric.headline``)."""
    return [metric for metric in metrics if metric.headline]


def work_areas(programs, figures, *, state=None, year=None, headlines_only=False):
    """Group published programs under their work areas, with national and state lines.

    ``programs`` must have their metrics (and the metrics' notes) prefetched; ``figures``
    are the year's figures for the nation and (if given) the one state.
    ``headlines_only`` keeps the headline metrics (fact sheets, the home page).
    """
    programs = list(programs)
    metrics = [metric for program in programs for metric in program.metrics.all()]
    index = attach(figures, metrics)
    grouped = defaultdict(list)
    for program in programs:
        program_metrics = collected(program.metrics.all(), year)
        if headlines_only:
            program_metrics = headlines(program_metrics)
        national = [m for m in program_metrics if m.is_national]
        for_state = [m for m in program_metrics if not m.is_national]
        grouped[program.work_area].append(
            ProgramBlock(
                program=program,
                national=lines_for(national, index, None, year),
                state=lines_for(for_state, index, state.pk, year) if state else [],
            )
        )
    return [WorkAreaBlock(WorkArea(area), grouped[area]) for area in WorkArea if grouped[area]]


def sources(figures):
    """The distinct sources of the figures on a page, in alphabetical order."""
    return sorted({figure.source for figure in figures if figure.source})
