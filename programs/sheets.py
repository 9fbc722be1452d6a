"""The shape of a published page: work areas, their programs, and each metric's figure.

Views fetch programs (with their metrics and notes) and figures with a fixed number of
queries; these helpers arrange them in memory, so adding states, metrics or years
never adds a query. A page shows a metric only in the years it is collected.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from .models import Figure, Metric, MetricNote, PendingChange, Program, WorkArea


@dataclass
class Line:
    """A metric and its figure for the page's year and place (None when there is none)."""

    metric: Metric
    figure: Figure | None
    parts: list["Line"] = field(default_factory=list)
    notes: list[MetricNote] = field(default_factory=list)

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


def reader_figures(preview, *, year, program=None, state=None, national=False):
    """The figures a reader sees for a year: two queries at most, whatever the data.

    Published figures, each with its last revision; in a staff preview, drafts too, and
    every pending change in place of the figure it changes, marked (``figure.pending``).
    ``state`` gives a fact sheet's figures (the state's and the national ones);
    ``national`` the national ones only; ``program`` one program's, every place.
    """
    figures = Figure.objects.visible(preview).for_year(year).select_related("revision", "state")
    pending = PendingChange.objects.for_year(year).select_related("state")
    if program is not None:
        figures, pending = figures.for_program(program), pending.for_program(program)
    if national:
        figures, pending = figures.national(), pending.national()
    elif state is not None:
        figures, pending = figures.for_fact_sheet(state), pending.for_fact_sheet(state)
    figures = list(figures)
    return with_pending(figures, list(pending)) if preview else figures


def with_pending(figures, pending):
    """Put each pending change in place of its figure, marked, as staff preview shows it.

    Matched by place, as publishing matches them: a staged new figure that someone added
    meanwhile previews as the change it will be, not as a second figure.
    """
    by_key = {(f.metric_id, f.state_id): f for f in figures}
    for change in pending:
        key = (change.metric_id, change.state_id)
        figure, new = by_key.get(key), change.new_fields()
        if new is None and figure is None:
            continue  # withdrawing a figure already gone: nothing to show
        if figure is None:
            figure = Figure(metric_id=change.metric_id, year=change.year, state=change.state)
            figures.append(figure)
            by_key[key] = figure
        for name, value in (new or {}).items():
            setattr(figure, name, value)
        figure.pending = change  # a withdrawal keeps the published values, struck through
    return figures


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


def work_areas(programs, figures, *, state=None, year=None):
    """Group published programs under their work areas, with national and state lines.

    ``programs`` must have their metrics (and the metrics' notes) prefetched; ``figures``
    are the year's figures for the nation and (if given) the one state.
    """
    programs = list(programs)
    metrics = [metric for program in programs for metric in program.metrics.all()]
    index = attach(figures, metrics)
    grouped = defaultdict(list)
    for program in programs:
        program_metrics = collected(program.metrics.all(), year)
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
