"""The tile-grid maps of the home page and the program pages: which metric and year."""

from django.http import Http404
from django.urls import reverse

from ..reader import catalog, tilemap
from ..reader import figures as reader
from .common import pick_year, year_from_query


def metric_from_query(request, metrics):
    """The ?metric= of a map's form among ``metrics``, or None; an unknown key is a 404."""
    key = request.GET.get("metric")
    if key is None:
        return None
    for metric in metrics:
        if metric.key == key:
            return metric
    raise Http404("There is no such figure to show on this map.")


def home_map(request, programs, years, states):
    """The home page's map: the state metric and year asked for; by default the first
    state metric with figures in the latest year. One query out of preview (two on a
    version's first read of the year), three in a preview."""
    asked = year_from_query(request)  # a malformed year is a 400 even with no years
    if not years:
        return None
    year = pick_year(years, asked)
    state_metrics = [
        metric
        for program in programs
        for metric in program.metrics.all()
        if not metric.is_national and metric.collected_in(year)
    ]
    with_figures = catalog.state_metrics_with_figures(request.preview, year)
    choices = [metric for metric in state_metrics if metric.pk in with_figures]
    metric = metric_from_query(request, state_metrics) or (choices[0] if choices else None)
    if metric is None:
        return None
    if metric not in choices:
        choices = [metric, *choices]
    # The chosen metric's figures only (56 at most, not its program's every metric).
    figures = reader.reader_figures(request.preview, year=year, metric=metric)
    reader.attach(figures, [metric])  # each figure's unit, without a query
    return tilemap.build(
        metric,
        tilemap.figures_for(metric, figures),
        states,
        year,
        id="home-map",
        choices=choices,
        years=years,
        action=reverse("home"),
    )


def program_map(request, state_metrics, figures, states, year, action):
    """A program page's map, of the state metric asked for (by default its first), from
    the figures the page already fetched: no query."""
    if not state_metrics:
        return None
    metric = metric_from_query(request, state_metrics) or state_metrics[0]
    return tilemap.build(
        metric,
        tilemap.figures_for(metric, figures),
        states,
        year,
        id="program-map",
        choices=state_metrics,
        action=action,
    )
