"""The list of states and territories, and each one's fact sheet."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from states.models import State

from ..models import Figure
from ..reader import figures as reader
from ..reader import layout, trends
from .common import pick_year, visible_programs, year_from_query


def state_list(request):
    return render(
        request,
        "states/state_list.html",
        {"states": State.objects.all(), "title": "States and territories"},
    )


def fact_sheet(request, slug, year=None):
    """A state's fact sheet for a year: by default the latest year with a figure for the
    state (the latest published year when it has none at all)."""
    state = get_object_or_404(State, slug=slug)
    selected = year_from_query(request)
    if selected is not None:
        return redirect("states:fact_sheet", slug=state.slug, year=selected)
    years, state_years = Figure.objects.visible(request.preview).years_with_place(state)
    if year is None and state_years:
        year = state_years[0]
    year = pick_year(years, year)
    figures = reader.reader_figures(request.preview, year=year, state=state) if year else []
    work_areas = layout.work_areas(visible_programs(request), figures, state=state, year=year)
    national_lines, state_lines = trends.fact_sheet_lines(work_areas)
    has_state_figures = any(line.figure for line in state_lines)
    if year:
        metrics = [line.metric for line in national_lines + state_lines]
        series = trends.series_index(reader.reader_series(request.preview, metrics, state=state))
        state_metrics = [line.metric for line in state_lines]
        rank_index = trends.ranks(reader.reader_state_values(request.preview, state_metrics, year))
        trends.add_trends(national_lines, series, year=year)
        trends.add_trends(state_lines, series, year=year, state=state, rank_index=rank_index)
    return render(
        request,
        "states/fact_sheet.html",
        {
            "state": state,
            "title": f"{state.name} fact sheet, {year}" if year else f"{state.name} fact sheet",
            "description": f"NCMEC's work in {state.name}"
            + (f" in {year}" if year else "")
            + ": figures by program, with the national context.",
            "canonical": reverse("states:fact_sheet", args=[state.slug, year]) if year else None,
            "year": year,
            "years": years,
            "state_years": state_years,
            "work_areas": work_areas,
            "sources": layout.sources(figures),
            # Said once at the top, not as a "no figure" line under every metric.
            "no_state_figures": not has_state_figures,
        },
    )
