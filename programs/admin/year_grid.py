"""What is missing, at a glance: a year's figures as a grid of the 56 states and
territories by the year's state metrics (or the metrics by the states), each cell the
figure or "—", the flags of figure_checks marked in their cells and listed under the
grid, what is there counted per metric and per state; the national figures apart.

Staff read it before publishing ("48 of 56 states have their figure"). It reads the
year in a fixed number of queries, whatever the number of figures, and shows what is
saved: for a published year the figures readers see, a pending change marked beside its
figure until a Publisher publishes it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from states.models import State

from .. import formatting
from ..figure_checks import year_flags
from ..models import Edition, Figure, Metric, PendingChange, is_publisher
from ..models.revisions import Action
from ..publishing import plural

BY_STATE, BY_METRIC = "state", "metric"
REFERENCE = "Reference data"  # the group of metrics no program publishes (population)


@dataclass
class Heading:
    """A row's or a column's heading: a metric or a state, with what it counts."""

    label: str
    title: str = ""  # the full name, where the label is a code
    group: str = ""  # its program's name, on the first metric of each program
    flags: list = field(default_factory=list)  # [(number, Flag)]: of the metric as a whole
    present: int = 0
    total: int = 0


@dataclass
class Cell:
    text: str  # the figure as pages write it; "" where there is none
    url: str = ""  # the figure's admin page
    pending: str = ""  # what a pending change makes it, e.g. "pending: 8,612"
    pending_url: str = ""
    flags: list = field(default_factory=list)  # [(number, Flag)]


@dataclass
class Row:
    heading: Heading
    cells: list


@dataclass
class Link:
    label: str
    url: str
    current: bool


@dataclass
class YearGrid:
    edition: Edition
    by: str
    views: list  # [Link]: states by metric, metrics by state
    programs: list  # [Link]: every program, then each program with metrics this year
    unknown_program: str  # a ?program= that names no program of the year, or ""
    corner: str  # what the rows are
    column_groups: list  # [(program name, span)] over the columns, by state only
    columns: list  # [Heading]
    rows: list  # [Row]
    present: int
    total: int
    national: list  # [Row], each of one cell
    national_present: int
    flags: list  # [(number, Flag)], in the grid's reading order
    other_flags: int  # flags of metrics the program filter hides
    pending: int  # pending changes of the metrics shown

    @property
    def missing(self):
        return self.total - self.present

    @property
    def national_missing(self):
        return len(self.national) - self.national_present


class _Marks:
    """Numbers the year's flags as the grid meets their figures, in reading order."""

    def __init__(self, flags):
        self.waiting = defaultdict(list)
        for flag in flags:
            self.waiting[flag.key].append(flag)
        self.listed = []

    def take(self, key):
        taken = []
        for flag in self.waiting.pop(key, ()):
            self.listed.append((len(self.listed) + 1, flag))
            taken.append(self.listed[-1])
        return taken

    @property
    def left(self):
        return sum(len(flags) for flags in self.waiting.values())


@dataclass
class _Year:
    """What the grid reads of a year: its metrics, the states, its figures, its pending
    changes and its flags."""

    edition: Edition
    metrics: list
    states: list
    figures: dict  # {(metric id, state id): (pk, value, qualifier)}
    pending: dict  # {(metric id, state id): (pk, action, value, qualifier)}
    flags: list


def _read(edition):
    year = edition.year
    metrics = sorted(
        Metric.objects.collected_in(year).select_related("program"),
        key=lambda metric: metric.program_id is None,  # reference data after the programs
    )
    figures = Figure.objects.for_year(year).order_by()
    figures = figures.values_list("pk", "metric", "state", "value", "qualifier")
    pending = PendingChange.objects.for_year(year).order_by()
    return _Year(
        edition=edition,
        metrics=metrics,
        states=list(State.objects.order_by("name").only("pk", "name", "code")),
        figures={(m, s): (pk, v, q) for pk, m, s, v, q in figures},
        pending={
            (m, s): rest
            for m, s, *rest in pending.values_list(
                "metric", "state", "pk", "action", "value", "qualifier"
            )
        },
        flags=year_flags([year])[year],
    )


class _Builder:
    """Builds the rows and columns, numbering the flags as it meets their figures."""

    def __init__(self, data):
        self.data = data
        self.year = data.edition.year
        self.marks = _Marks(data.flags)
        self.figure_url = reverse("admin:programs_figure_changelist")
        self.pending_url = reverse("admin:programs_pendingchange_changelist")
        self.pending = 0

    def cell(self, metric, state_id):
        key = (metric.pk, state_id)
        saved = self.data.figures.get(key)
        cell = Cell("", flags=self.marks.take((metric.pk, self.year, state_id)))
        if saved is not None:
            pk, value, qualifier = saved
            cell.text = formatting.format_figure(value, metric.unit, qualifier)
            cell.url = f"{self.figure_url}{pk}/change/"
        staged = self.data.pending.get(key)
        if staged is not None:
            pk, action, value, qualifier = staged
            self.pending += 1
            cell.pending_url = f"{self.pending_url}{pk}/change/"
            if action == Action.WITHDRAW:
                cell.pending = "pending: withdrawn"
            else:
                text = formatting.format_figure(value, metric.unit, qualifier)
                same = text == cell.text
                cell.pending = "pending: new source or note" if same else f"pending: {text}"
        return cell

    def metric_heading(self, metric, group):
        return Heading(
            metric.label,
            group=group,
            # a flag of the metric's states together (their sum over the national total)
            flags=self.marks.take((metric.pk, self.year, None)),
            total=len(self.data.states),
        )

    def by_state(self, metrics):
        columns = [self.metric_heading(m, g) for m, g in _grouped(metrics)]
        rows = []
        for state in self.data.states:
            cells = [self.cell(metric, state.pk) for metric in metrics]
            rows.append(Row(Heading(state.name, total=len(metrics)), cells))
            for column, cell in zip(columns, cells, strict=True):
                column.present += bool(cell.text)
        return columns, rows

    def by_metric(self, metrics):
        states = self.data.states
        columns = [Heading(s.code, title=s.name, total=len(metrics)) for s in states]
        rows = []
        for metric, group in _grouped(metrics):
            heading = self.metric_heading(metric, group)
            cells = [self.cell(metric, state.pk) for state in states]
            rows.append(Row(heading, cells))
            for column, cell in zip(columns, cells, strict=True):
                column.present += bool(cell.text)
        return columns, rows

    def national(self, metrics):
        return [Row(Heading(m.label, group=g), [self.cell(m, None)]) for m, g in _grouped(metrics)]


def _grouped(metrics):
    """(metric, its program's name on the first of each program, else "")."""
    last = object()
    for metric in metrics:
        name = metric.program.name if metric.program_id else REFERENCE
        yield metric, ("" if name == last else name)
        last = name


def _link(path, label, current, **query):
    query = urlencode({name: value for name, value in query.items() if value})
    return Link(label, f"{path}?{query}" if query else path, current)


def year_grid(edition, *, path, by="", program="") -> YearGrid:
    """The grid of ``edition``'s figures: states by metric, or metrics by state when ``by``
    is "metric"; only ``program``'s metrics (a slug) when it names one of the year's."""
    data = _read(edition)
    by = BY_METRIC if by == BY_METRIC else BY_STATE
    programs = {m.program.slug: m.program.name for m in data.metrics if m.program_id}
    unknown = program if program and program not in programs else ""
    chosen = program if program in programs else ""
    shown = [m for m in data.metrics if not chosen or (m.program_id and m.program.slug == chosen)]
    state_metrics = [m for m in shown if not m.is_national]
    national_metrics = [m for m in shown if m.is_national]

    build = _Builder(data)
    if by == BY_METRIC:
        columns, rows = build.by_metric(state_metrics)
        groups = []
    else:
        columns, rows = build.by_state(state_metrics)
        groups = _spans(heading.group for heading in columns)
    for row in rows:
        row.heading.present = sum(bool(cell.text) for cell in row.cells)
    national = build.national(national_metrics)
    return YearGrid(
        edition=edition,
        by=by,
        views=[
            _link(path, "States by metric", by == BY_STATE, program=chosen),
            _link(path, "Metrics by state", by == BY_METRIC, by=BY_METRIC, program=chosen),
        ],
        programs=[
            _link(path, "Every program", not chosen, by=by if by == BY_METRIC else ""),
            *(
                _link(path, name, slug == chosen, by=by if by == BY_METRIC else "", program=slug)
                for slug, name in programs.items()
            ),
        ],
        unknown_program=unknown,
        corner="State or territory" if by == BY_STATE else "Metric",
        column_groups=groups,
        columns=columns,
        rows=rows,
        present=sum(row.heading.present for row in rows),
        total=len(state_metrics) * len(data.states),
        national=national,
        national_present=sum(bool(row.cells[0].text) for row in national),
        flags=build.marks.listed,
        other_flags=build.marks.left,
        pending=build.pending,
    )


def _spans(groups):
    """[(group, number of columns)] from each column's group ("" continues the last)."""
    spans = []
    for group in groups:
        if group or not spans:
            spans.append([group, 0])
        spans[-1][1] += 1
    return [tuple(span) for span in spans]


def year_grid_view(request, pk, *, model_admin):
    """/admin/programs/edition/<pk>/figures/: staff who may view figures see it."""
    figures_admin = model_admin.admin_site.get_model_admin(Figure)
    if not figures_admin.has_view_permission(request):
        raise PermissionDenied
    edition = get_object_or_404(Edition, pk=pk)
    grid = year_grid(
        edition,
        path=request.path,
        by=request.GET.get("by", ""),
        program=request.GET.get("program", ""),
    )
    return TemplateResponse(
        request,
        "admin/programs/edition/grid.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"{edition.year}: what is there, missing and flagged",
            "subtitle": str(edition),
            "opts": Edition._meta,
            "edition": edition,
            "grid": grid,
            "flag_count": plural(len(grid.flags), "flag"),
            # The year's next steps, for whoever may take them: import, then publish.
            "import_url": reverse("admin:programs_figure_import")
            if figures_admin.has_import_permission(request)
            else "",
            "publish_url": reverse("admin:programs_edition_confirm", args=[edition.pk, "publish"])
            if is_publisher(request.user) and (not edition.is_published or grid.pending)
            else "",
        },
    )


def grid_link(edition):
    """The Editions list's link to a year's grid."""
    url = reverse("admin:programs_edition_grid", args=[edition.pk])
    return format_html('<a href="{}">What is missing</a>', url)


grid_link.short_description = "the year's figures"
