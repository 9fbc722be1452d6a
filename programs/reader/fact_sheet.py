"""A state's fact sheet for a year: what its page, its PDF and the PDF command show.

The page, ``fact-sheet.pdf`` and ``write_fact_sheet_pdfs`` build their content here, so
the PDF says what the page says: the state's key figures first, then the figures by
work area and program. Ten queries: the year's figures, the programs, their metrics, the
metrics' notes, which of the state's metrics it had a figure of before the year, the
series of earlier years, the year's state values for ranks, the year's populations for
rates, the sources of the figures shown and the year's publication dates (the state and
its years, and every state, are fetched by the caller).
"""

from dataclasses import dataclass

from ..models import Figure
from . import catalog, layout, published, rates, trends
from . import figures as reader
from .sources import (
    PageSources,
    line_titles,
    page_sources,
    population_titles,
    trend_titles,
    work_area_lines,
)


def fact_sheet_years(state, preview):
    """(every year with figures, the years with a figure for ``state``), newest first."""
    return Figure.objects.visible(preview).years_with_place(state)


@dataclass
class KeyFigure:
    """One of the state's figures a sheet opens with: its program and its line."""

    program: object
    line: layout.Line


@dataclass
class FactSheet:
    state: object
    year: int | None
    years: list[int]
    state_years: list[int]
    work_areas: list[layout.WorkAreaBlock]
    sources: PageSources
    publication: published.YearPublication | None = None

    @property
    def key_figures(self):
        """The state's figures of the year, in the sheet's order (its headline metrics':
        a sheet shows no other)."""
        return [
            KeyFigure(block.program, line)
            for area in self.work_areas
            for block in area.programs
            for line in block.state
            if line.figure
        ]

    @property
    def has_state_figures(self):
        return any(
            line.figure
            for area in self.work_areas
            for block in area.programs
            for line in block.state
        )

    @property
    def title(self):
        name = self.state.name
        return f"{name} fact sheet, {self.year}" if self.year else f"{name} fact sheet"

    @property
    def description(self):
        when = f" in {self.year}" if self.year else ""
        place = f"{self.state.name}{when}"
        return f"NCMEC's work in {place}: figures by program, with the national context."

    def context(self):
        """What the fact sheet templates (page and PDF) are given."""
        return {
            "state": self.state,
            "title": self.title,
            "description": self.description,
            "year": self.year,
            "years": self.years,
            "state_years": self.state_years,
            "work_areas": self.work_areas,
            "key_figures": self.key_figures,
            "sources": self.sources,
            "publication": self.publication,
            # Said once at the top, not as a "no figure" line under every metric.
            "no_state_figures": not self.has_state_figures,
        }


def fact_sheet_build(state, year, *, preview, years, state_years, states, programs=None):
    """The fact sheet of ``state`` for ``year`` (a year in ``years``, or None when nothing
    is published): the year's figures arranged by work area and program. ``states`` is
    every jurisdiction (``catalog.states()``), for what a rank says it ranks among."""
    if programs is None:
        programs = catalog.programs(preview)
    figures = reader.reader_figures(preview, year=year, state=state) if year else []
    work_areas = layout.work_areas(programs, figures, state=state, year=year, headlines_only=True)
    populations = {}
    if year:
        fold_not_reported(work_areas, state, year, preview=preview)
        populations = add_trends(work_areas, state, year, preview=preview, states=states)
    lines = work_area_lines(work_areas)
    # Of what the sheet shows, not of every figure fetched (the national figures of
    # detail metrics are fetched but not shown); the state's population where a rate is.
    rated = any(line.trend is not None and line.trend.rate is not None for line in lines)
    titles = line_titles(lines) + (population_titles(populations, [state]) if rated else [])
    return FactSheet(
        state=state,
        year=year,
        years=years,
        state_years=state_years,
        work_areas=work_areas,
        sources=page_sources(titles, trend_titles(lines)),
        publication=published.publication(year, published.on_fact_sheet(state, year)),
    )


def fold_not_reported(work_areas, state, year, *, preview):
    """Take the state's metrics without a figure for ``year`` out of their programs'
    lines: each work area names those the state has had a figure of before in one line
    (``not_reported``) and leaves out those it never had, so that a new metric reported
    by a few states adds nothing to the others' sheets. None is named when the state has
    no figure at all that year: the sheet says so once. One query (always, so that every
    sheet makes as many)."""
    blocks = [block for area in work_areas for block in area.programs]
    metrics = [line.metric for block in blocks for line in block.state]
    had = reader.reader_reported_before(preview, metrics, state=state, year=year)
    any_figure = any(line.figure for block in blocks for line in block.state)
    for area in work_areas:
        for block in area.programs:
            missing = [line.metric for line in block.state if line.figure is None]
            block.state = [line for line in block.state if line.figure is not None]
            if any_figure:
                area.not_reported += [metric for metric in missing if metric.pk in had]


def add_trends(work_areas, state, year, *, preview, states):
    """Each line beside its last few years (``trends.TREND_YEARS``), and each state line
    with its rate per 100,000 residents and its ranks by rate and by count: three light
    queries (the series of the page's metrics in those years; the year's state values
    for ranks; the year's populations, which it returns)."""
    national_lines, state_lines = trends.fact_sheet_lines(work_areas)
    metrics = [line.metric for line in national_lines + state_lines]
    rows = reader.reader_series(preview, metrics, state=state, years=trends.trend_years(year))
    series = trends.series_index(rows)
    state_metrics = [line.metric for line in state_lines]
    values = reader.reader_state_values(preview, state_metrics, year)
    rank_index = trends.ranks(values, states)
    trends.add_trends(national_lines, series, year=year)
    trends.add_trends(state_lines, series, year=year, state=state, rank_index=rank_index)
    populations = rates.reader_populations(preview, year)
    add_rates(state_lines, values, populations, states)
    return populations


def add_rates(state_lines, values, populations, states):
    """Each state line's rate and rank by rate (``line.trend``), where it has a rate:
    ``values`` are the year's state values of the lines' metrics, ``populations`` the
    year's (``rates.reader_populations``)."""
    metrics = [line.metric for line in state_lines]
    rate_ranks = rates.rate_ranks(metrics, values, populations, states)
    for line in state_lines:
        if line.trend is None:
            continue
        line.trend.rate = rates.figure_rate(line.metric, line.figure, populations)
        if line.trend.rate is not None:
            line.trend.rate_rank = rate_ranks.get((line.metric.pk, line.figure.state_id))
