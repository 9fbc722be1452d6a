"""The home page and the program pages."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from ..reader import catalog, layout, published, rates, trends
from ..reader import figures as reader
from ..reader import sources as page_sources
from ..reader.home import featured_series, with_national_figures
from ..reader.state_table import state_table
from . import maps
from .common import pick_year, visible_programs, year_from_query


def home(request):
    """What the data shows (the featured national series and map: reader.home), then the
    latest year's national headline figures."""
    years, map_years = catalog.years_and_map_years(request.preview)
    year = years[0] if years else None
    programs = visible_programs(request)
    figures = reader.reader_figures(request.preview, year=year, national=True) if year else []
    states = catalog.states()
    work_areas = layout.work_areas(programs, figures, year=year, headlines_only=True)
    national_areas, no_national = with_national_figures(work_areas)
    tile_map = maps.home_map(request, programs, states, map_years)
    shown = page_sources.line_titles(page_sources.work_area_lines(national_areas, state=False))
    series = featured_series(request.preview, programs) if year else None
    return render(
        request,
        "home.html",
        {
            "year": year,
            "work_areas": work_areas,
            "national_areas": national_areas,
            "no_national": no_national,
            "states": states,
            "series": series,
            "tile_map": tile_map,
            "canonical": "/",
            "description": "The latest national figures of the National Center for Missing "
            "and Exploited Children, and a fact sheet for every state and territory.",
            "publication": published.publication(
                year,
                published.on_home_page(
                    year,
                    series_metric=series.metric if series else None,
                    map_metric=tile_map.metric if tile_map else None,
                    map_year=tile_map.year if tile_map else None,
                ),
            ),
            # The map's figures and the chart's are on the page too.
            "sources": page_sources.page_sources(
                shown
                + page_sources.map_titles(tile_map)
                + ([point.source for point in series.points] if series else [])
            ),
        },
    )


def program_list(request):
    return render(
        request,
        "programs/program_list.html",
        {
            "work_areas": layout.work_areas(visible_programs(request, notes=False), []),
            "title": "Programs",
            "description": "NCMEC's programs by area of work, each with its national and "
            "state figures.",
        },
    )


def program_detail(request, slug, year=None):
    program = next((p for p in visible_programs(request) if p.slug == slug), None)
    if program is None:
        raise Http404("There is no program at this address.")
    selected = year_from_query(request)
    if selected is not None:
        if year is not None and selected != year:
            raise Http404("Two different years were asked for.")
        url = reverse("programs:year", args=[program.slug, selected])
        # What the map's form chose besides the year, kept.
        kept = {name: request.GET[name] for name in ("metric", "measure") if request.GET.get(name)}
        return redirect(f"{url}?{urlencode(kept)}" if kept else url)
    years = catalog.years(request.preview, program)
    year = pick_year(years, year)
    metrics = layout.collected(program.metrics.all(), year)
    figures = reader.reader_figures(request.preview, year=year, program=program) if year else []
    index = reader.attach(figures, metrics)
    national = [m for m in metrics if m.is_national]
    for_states = [m for m in metrics if not m.is_national]
    national_lines = layout.lines_for(national, index, None, year)
    if year and national:
        series = reader.reader_series(
            request.preview, national, national=True, years=trends.trend_years(year)
        )
        trends.add_trends(national_lines, trends.series_index(series), year=year)
    states = catalog.states()
    # For the table's and the map's rates: a query, when some state metric of the year
    # has one.
    populations = (
        rates.reader_populations(request.preview, year)
        if year and any(metric.has_rate for metric in for_states)
        else {}
    )
    action = reverse("programs:year", args=[program.slug, year]) if year else None
    table = state_table(for_states, index, states, populations)
    tile_map = (
        maps.program_map(request, for_states, figures, states, year, action, populations)
        if year
        else None
    )
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "title": f"{program.name}, {year}" if year else program.name,
            "description": program.summary,
            "canonical": action,
            "year": year,
            "years": years,
            "national": national_lines,
            "state_metrics": for_states,
            "state_table": table,
            # The map's rates are of the same populations.
            "tile_map": tile_map,
            # What the figures in tables count (the national lines say it under each).
            "definitions": [
                (metric, notes)
                for metric in metrics
                if (not metric.is_national or metric.parent_id or not year)
                and ((notes := layout.notes_for(metric, year)) or metric.definition)
            ],
            # The table's and the map's figures, and the populations of their rates.
            "sources": page_sources.page_sources(
                page_sources.line_titles(national_lines)
                + table.source_titles
                + page_sources.population_titles(populations, table.rated_states)
                + page_sources.map_titles(tile_map),
                page_sources.trend_titles(national_lines),
            ),
            "publication": published.publication(year, published.on_program_page(program, year)),
        },
    )
