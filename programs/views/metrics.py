"""A page per metric: what it counts, its notes, and every published year."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from ..models import Metric
from ..reader import catalog, metric_page, pictures, published, rates, tilemap
from ..reader import figures as reader
from ..reader.sources import map_titles, page_sources, population_titles
from .common import pick_year, year_from_query
from .maps import measure_from_query, with_links


def metric_and_parts(request, key):
    """The metric of ``key`` (with its program, its total if it is a part, its notes)
    and the parts of its breakdowns, in one query and a prefetch."""
    found = list(
        Metric.objects.visible(request.preview)
        .select_related("program", "parent")
        .prefetch_related("notes")
        .filter(Q(key=key) | Q(parent__key=key))
    )
    metric = next((metric for metric in found if metric.key == key), None)
    if metric is None:
        raise Http404("There is no figure at this address.")
    return metric, [part for part in found if part.parent_id == metric.pk]


def metric_detail(request, key):
    """The metric's series: the nation's as a chart and a table, or every state by year;
    for a total, its breakdowns in a year.

    ``?year=`` picks the year the state figures (``year_figures``, for the map), their
    rates per 100,000 residents and the breakdowns are of; by default the latest with
    figures.
    """
    metric, parts = metric_and_parts(request, key)
    requested = year_from_query(request)
    if metric.is_national:
        rows = reader.reader_series(request.preview, [metric, *parts], national=True)
        states = []
    else:
        rows = reader.reader_series(request.preview, [metric, *parts], every_state=True)
        states = catalog.states()
    page = metric_page.build(metric, rows, states, parts=parts, year=requested)
    measure = measure_from_query(request)
    year = pick_year(page.years_newest_first, requested)
    populations = None
    if year and metric.has_rate:  # the year's rates, in the table and on the map: a query
        populations = rates.reader_populations(request.preview, year)
        metric_page.add_rates(page, year, populations)
    url = reverse("metrics:detail", args=[metric.key])
    year_figures = page.state_figures_in(year)
    tile_map = None
    if year_figures:
        tile_map = tilemap.build(
            metric,
            tilemap.points_for(metric, year_figures),
            states,
            year,
            populations=populations,
            measure=measure,
            id="metric-map",
            years=page.years_newest_first,
            action=url,
        )
        with_links(tile_map)
    return render(
        request,
        "programs/metric_detail.html",
        {
            "metric": metric,
            "page": page,
            "year": year,
            "years": page.years_newest_first,
            "year_figures": year_figures,
            "tile_map": tile_map,
            # The chart's files and embed.
            "chart_links": pictures.chart_links(metric, page.points) if page.chart else None,
            # Only the notes of years the page shows: one from a draft year says nothing
            # until that year is published.
            "notes": [n for n in metric.notes.all() if any(map(n.applies_to, page.years))],
            # When its latest year was published, and when a figure of any of its years
            # was last revised.
            "publication": published.publication(
                page.years_newest_first[0] if page.years_newest_first else None,
                published.on_metric_page(metric),
            ),
            "title": f"{metric.label}, {metric.program.name}",
            "description": metric.definition
            or f"{metric.label}: every published year of NCMEC's {metric.program.name} figure.",
            "canonical": url,
            # Its figures, and the populations of the rates its table and map give.
            "sources": page_sources(
                page.titles
                + population_titles(
                    populations, [r.state for r in page.rows if r.rate is not None]
                )
                + map_titles(tile_map)
            ),
        },
    )
