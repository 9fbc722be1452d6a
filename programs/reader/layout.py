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
class Breakdown:
    """The parts of a total in one breakdown (``Metric.breakdown``: "by kind of
    exploitation"; "" for a total broken down one way only), which add up to it."""

    label: str
    parts: list["Line"]
    total: Figure | None = None  # the total's figure

    @property
    def part_sources(self):
        """The sources of the parts' figures, each once ("" for a part that names none)."""
        return list(dict.fromkeys(part.figure.source for part in self.parts if part.figure))

    @property
    def by_source(self):
        """Whether the parts name different sources: its table then gives each row's."""
        return len(self.part_sources) > 1

    @property
    def parts_source(self):
        """The one source of the parts when it is not the total's (the table says it
        below), else None (the total's line says it, or the table's column does)."""
        sources = self.part_sources
        if len(sources) != 1 or (self.total and self.total.source == sources[0]):
            return None
        return sources[0]


@dataclass
class Line:
    """A metric and its figure for the page's year and place (None when there is none)."""

    metric: Metric
    figure: Figure | None
    breakdowns: list[Breakdown] = field(default_factory=list)
    notes: list[MetricNote] = field(default_factory=list)
    trend: object = None  # a reader.trends.Trend, on the pages that show one

    @property
    def sentence(self):
        return self.figure.sentence if self.figure else ""

    @property
    def parts(self):
        """Every part of the total, breakdown after breakdown."""
        return [part for breakdown in self.breakdowns for part in breakdown.parts]


@dataclass
class ProgramBlock:
    program: Program
    national: list[Line]
    state: list[Line]

    @property
    def has_figures(self):
        return any(line.figure for line in self.national + self.state)

    @property
    def source(self):
        """The one source every figure of the block names ("" when none names one), said
        once under the block; None when they name different ones, each then beside its
        figure."""
        figures = [
            figure
            for line in self.national + self.state
            if line.figure
            for figure in [line.figure] + [part.figure for part in line.parts if part.figure]
        ]
        titles = {figure.source for figure in figures}
        return titles.pop() if len(titles) == 1 else None

    @property
    def cites_each(self):
        """Whether each figure says its source (they differ), not the block once."""
        return self.source is None


@dataclass
class WorkAreaBlock:
    work_area: WorkArea
    programs: list[ProgramBlock]
    # On a fact sheet, the state metrics of the area with no figure for the state that
    # year that it has had a figure of before: named in one line, not a line each.
    not_reported: list[Metric] = field(default_factory=list)

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


def breakdowns_of(parts, total=None):
    """The parts of one total (its figure ``total``) grouped by breakdown, each group
    where its first part is (``parts`` in page order)."""
    groups = {}
    for part in parts:
        groups.setdefault(part.metric.breakdown, []).append(part)
    return [Breakdown(label, group, total) for label, group in groups.items()]


def lines_for(metrics, index, state_id, year=None):
    """Lines for top-level metrics, each with its parts grouped by breakdown."""
    lines, parts = [], defaultdict(list)
    for metric in metrics:
        line = Line(metric, index.get((metric.pk, state_id)), notes=notes_for(metric, year))
        if metric.parent_id:
            parts[metric.parent_id].append(line)
        else:
            lines.append(line)
    for line in lines:
        line.breakdowns = breakdowns_of(parts.get(line.metric.pk, []), line.figure)
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
