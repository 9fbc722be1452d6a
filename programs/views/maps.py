"""The tile-grid maps of the home page and the program pages: which metric, year and
measure (the count, or the rate per 100,000 residents)."""

from collections import Counter

from django.core.exceptions import BadRequest
from django.http import Http404
from django.urls import reverse

from ..reader import catalog, pictures, rates, tilemap
from ..reader import figures as reader
from .common import year_from_query


def metric_from_query(request, metrics):
    """The ?metric= of a map's form among ``metrics``, or None; an unknown key is a 404."""
    key = request.GET.get("metric")
    if key is None:
        return None
    for metric in metrics:
        if metric.key == key:
            return metric
    raise Http404("There is no such figure to show on this map.")


def measure_from_query(request):
    """The ?measure= of a map's form (``tilemap.RATE`` or ``COUNT``), or None (none or an
    empty one asked for: the map's default); anything else is a 400, as a malformed year
    is. A rate asked for where there is none is no error: the map says so and shows the
    count (the form keeps the measure when the reader picks another metric)."""
    measures = request.GET.getlist("measure")
    # Every one checked, as year_from_query checks every year: ?measure=area&measure=rate
    # is a 400, not the same map at a second address.
    if any(measure and measure not in tilemap.MEASURES for measure in measures):
        raise BadRequest("A map is shaded by “rate” (per 100,000 residents) or “count”.")
    return measures[-1] if measures and measures[-1] else None


def populations_for(request, metrics, year):
    """The year's populations when one of ``metrics`` has a rate (one query), else {}."""
    if year is None or not any(metric.has_rate for metric in metrics):
        return {}
    return rates.reader_populations(request.preview, year)


def home_map(request, programs, states, years):
    """The home page's map: the state metric, year and measure asked for; by default the
    featured metric (``tilemap.default_metric``: a headline metric with figures for the
    most states) in the latest of ``years`` (those with state figures, which its form
    offers), by rate where it has one. Two queries out of preview (the year's state
    metrics with figures, the metric's figures), one more in a preview, and one for the
    year's populations when the metric has a rate."""
    asked = year_from_query(request)  # a malformed year is a 400 even with no figures
    measure = measure_from_query(request)
    if asked is not None and asked not in years:
        raise Http404(f"No state figures are published for {asked}.")
    if not years:
        return None
    year = asked or years[0]
    state_metrics = [
        metric
        for program in programs
        for metric in program.metrics.all()
        if not metric.is_national and metric.collected_in(year)
    ]
    places = catalog.state_figure_counts(request.preview, year)
    choices = [metric for metric in state_metrics if metric.pk in places]
    metric = metric_from_query(request, state_metrics) or tilemap.default_metric(choices, places)
    if metric is None:
        return None
    if metric not in choices:
        choices = [metric, *choices]
    # The chosen metric's figures only (56 at most, not its program's every metric).
    figures = reader.reader_figures(request.preview, year=year, metric=metric)
    reader.attach(figures, [metric])  # each figure's unit, without a query
    tile_map = tilemap.build(
        metric,
        tilemap.figures_for(metric, figures),
        states,
        year,
        populations=populations_for(request, [metric], year),
        measure=measure,
        id="home-map",
        choices=choices,
        years=years,
        action=reverse("home"),
    )
    return with_links(tile_map)


def program_map(request, state_metrics, figures, states, year, action, populations):
    """A program page's map, of the state metric asked for (by default
    ``tilemap.default_metric``'s), from the figures and the year's populations the page
    already fetched: no query."""
    measure = measure_from_query(request)
    if not state_metrics:
        return None
    places = Counter(figure.metric_id for figure in figures if figure.state_id)
    metric = (
        metric_from_query(request, state_metrics)
        or tilemap.default_metric(state_metrics, places)
        or state_metrics[0]
    )
    tile_map = tilemap.build(
        metric,
        tilemap.figures_for(metric, figures),
        states,
        year,
        populations=populations,
        measure=measure,
        id="program-map",
        choices=state_metrics,
        action=action,
    )
    return with_links(tile_map)


def with_links(tile_map):
    """``tile_map`` with the addresses of its files and its embed, when it shows figures."""
    if tile_map.has_figures:
        tile_map.links = pictures.map_links(tile_map)
    return tile_map
