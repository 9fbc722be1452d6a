"""A metric's chart and map as files (SVG, PNG, CSV) and as pages to embed elsewhere.

/metrics/<key>/chart.svg|png|csv is the chart of the metric's page (every year);
/metrics/<key>/map.svg|png|csv?year=&measure= its map of a year's state figures (the
latest by default; by rate where it has one, as the page's). /embed/metrics/<key>/chart/
and /embed/metrics/<key>/map/?… show the same alone, for another site's frame
(ncmec_site/security.py lets any page frame /embed/, and no other).

Published figures only, for everyone: a staff preview gets them too, so a draft never
reaches a file, a frame or the page cache that stores them like any page. A malformed
year or measure is a 400, a metric without a chart or a map, or a year without its
figures, a 404. Queries: the metric, its series, then for a map the states and (a
count) the year's populations; for a picture, the sources of its figures and (a file)
the publication dates its citation gives.
"""

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ncmec_site.site_address import absolute_url

from ..models import Metric
from ..reader import catalog, pictures, published, rates
from ..reader import figures as reader
from ..reader.citation import citation
from ..reader.download_files import rows_csv
from ..reader.picture_svg import chart_document, map_document
from ..reader.png import png
from ..reader.sources import page_sources
from .common import pick_year, year_from_query
from .maps import measure_from_query

KINDS = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
}


def _metric(key):
    """The published metric of ``key`` with its program: one query."""
    metric = Metric.objects.visible(False).select_related("program").filter(key=key).first()
    if metric is None:
        raise Http404("There is no figure at this address.")
    return metric


def _chart(key):
    metric = _metric(key)
    national = metric.is_national
    rows = reader.reader_series(False, [metric], national=national, every_state=not national)
    picture = pictures.chart_picture(metric, rows)
    if picture is None:
        # Fewer than two years, or a percent of the states, which add up to no total.
        raise Http404(f"{metric.label} has no chart: its page draws none.")
    return picture


def _map(request, key):
    requested, measure = year_from_query(request), measure_from_query(request)
    metric = _metric(key)
    if metric.is_national:
        raise Http404(f"{metric.label} is a national figure: it has no map of the states.")
    rows = reader.reader_series(False, [metric], every_state=True)
    year = pick_year(pictures.map_years(rows), requested)
    if year is None:
        raise Http404(f"{metric.label} has no state figures to map.")
    populations = rates.reader_populations(False, year) if metric.has_rate else None
    return pictures.map_picture(
        metric, rows, catalog.states(), year, populations=populations, measure=measure
    )


def _file(picture, kind, document):
    """The picture as a file of ``kind``: its figures as CSV, or drawn by ``document``
    with its sources and citation, as SVG or PNG."""
    address = absolute_url(picture.page_path)
    if kind == "csv":
        body = rows_csv(picture.columns, picture.rows, pictures.NUMBER_COLUMNS)
    else:
        changed = published.last_changed(Q(metric=picture.metric), picture.years)
        cited = citation(picture.title, address, published=changed)
        body = document(picture, sources=page_sources(picture.titles), citation=cited)
        if kind == "png":
            body = png(body)
    response = HttpResponse(body, content_type=KINDS[kind])
    response["Content-Disposition"] = f'attachment; filename="{picture.file_stem}.{kind}"'
    response["Link"] = f'<{address}>; rel="describedby"'
    return response


@require_safe
def chart_file(request, key, kind):
    return _file(_chart(key), kind, chart_document)


@require_safe
def map_file(request, key, kind):
    return _file(_map(request, key), kind, map_document)


def _embed(request, picture, links):
    return render(
        request,
        "programs/embed.html",
        {
            "picture": picture,
            "links": links,
            "sources": page_sources(picture.titles),
            "title": picture.title,
            "canonical": picture.page_path,
        },
    )


@require_safe
def chart_embed(request, key):
    picture = _chart(key)
    return _embed(request, picture, pictures.chart_links(picture.metric, picture.points))


@require_safe
def map_embed(request, key):
    picture = _map(request, key)
    return _embed(request, picture, pictures.map_links(picture.tile_map))
