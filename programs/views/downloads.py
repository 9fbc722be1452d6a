"""/data/: the page that explains the files, and the files (published figures only).

Every figures download costs the filters' three checks, the populations its rates are
of, the one query of the figures and, for JSON and XLSX (whose citation gives a
publication date), one for the dates: fixed, whatever the filters or the number of
rows. The CSV and JSON files are streamed: the page cache reads one whole inside the
page's snapshot and stores it, unless it is larger than PAGE_CACHE_MAX_BYTES, which it
then streams (programs/page_cache.py).

A CSV file has nowhere to carry its citation without breaking the parsers that read it,
so its response says where it is explained and how to cite it in ``Link`` headers:
``rel="describedby"`` (the /data/ page) and ``rel="cite-as"`` (RFC 8574: the canonical
address of this very download, its filters in a fixed order).
"""

from urllib.parse import urlencode

from django.db.models import F
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ncmec_site.site_address import absolute_url
from states.models import State

from ..models import Edition, Metric
from ..reader import data_page, download_files
from ..reader.citation import LICENCE, citation
from ..reader.downloads import FigureFilters, FilterError, figures, populations
from ..reader.published import last_changed

CHUNK = 2000  # rows fetched at a time while streaming


def _absolute(request, name, query=None):
    path = reverse(name)
    if query:
        path += "?" + urlencode(query)
    return absolute_url(path)


def _links(request, name, query=None):
    """The ``Link`` header of a download: where its columns are explained, and how to
    cite it."""
    described = _absolute(request, "data:index")
    cite_as = _absolute(request, name, query)
    return f'<{described}>; rel="describedby", <{cite_as}>; rel="cite-as"'


def _file_name(stem, filters, extension):
    """ncmec-figures.csv, or with its filters: ncmec-figures-2023-MN.csv. The values are
    checked (years, USPS codes, slugs), so safe in a header; a long list is left out."""
    parts = list(filters.query.values())
    name = "-".join([stem, *parts]).replace(",", "_")
    if len(name) > 120:
        name = f"{stem}-filtered"
    return f"{name}.{extension}"


def _attachment(response, file_name):
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _described(filters):
    """The filters in words, for titles and the XLSX's About sheet."""
    return "; ".join(f"{name} {value}" for name, value in filters.query.items())


def _citation(request, filters, published=None):
    """How to cite the figures of ``filters``, dated by their last publication or
    revision (a query) unless ``published`` says it."""
    title = "Published figures"
    if filters.query:
        title += f" ({_described(filters)})"
    if published is None:  # by its own figures; no year filter: every published year
        published = last_changed(filters.revised_figures(), filters.years)
    return citation(
        title,
        _absolute(request, "data:figures_csv", filters.query),
        published=published,
    )


def _checked_filters(request):
    return FigureFilters.from_query(request.GET).check()


def _refused_as_text(error):
    return HttpResponse(
        f"Bad filter “{error.name}”: {error.message}\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def figures_csv(request):
    try:
        filters = _checked_filters(request)
    except FilterError as error:
        return _refused_as_text(error)
    rows = figures(filters).iterator(chunk_size=CHUNK)
    response = StreamingHttpResponse(
        download_files.figures_csv(rows, populations(filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Link"] = _links(request, "data:figures_csv", filters.query)
    return _attachment(response, _file_name("ncmec-figures", filters, "csv"))


@require_safe
def figures_json(request):
    try:
        filters = _checked_filters(request)
    except FilterError as error:
        body = {"error": {"filter": error.name, "message": error.message}}
        return JsonResponse(body, status=400)
    cited = _citation(request, filters)
    rows = figures(filters).iterator(chunk_size=CHUNK)
    response = StreamingHttpResponse(
        download_files.figures_json(rows, cited, populations(filters)),
        content_type="application/json",
    )
    response["Link"] = _links(request, "data:figures_json", filters.query)
    return _attachment(response, _file_name("ncmec-figures", filters, "json"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def figures_xlsx(request):
    try:
        filters = _checked_filters(request)
    except FilterError as error:
        return _refused_as_text(error)
    content = download_files.figures_xlsx(
        figures(filters).iterator(chunk_size=CHUNK),
        populations(filters),
        citation=_citation(request, filters),
        filters=_described(filters),
        address=_absolute(request, "data:index"),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Link"] = _links(request, "data:figures_xlsx", filters.query)
    return _attachment(response, _file_name("ncmec-figures", filters, "xlsx"))


@require_safe
def metrics_csv(request):
    """Each metric the figures files name, with its definition and the notes of its
    published years (one cell, "years: text" joined by " | "): the programs' metrics,
    then the reference data (population), which has no program."""
    years = list(Edition.objects.published().values_list("year", flat=True))
    metrics = (
        Metric.objects.in_data()
        .select_related("program")
        .prefetch_related("notes")
        .order_by(
            F("program__position").asc(nulls_last=True),
            F("program__slug").asc(nulls_last=True),
            "position",
            "key",
        )
    )
    response = StreamingHttpResponse(
        download_files.metrics_csv(metrics, years), content_type="text/csv; charset=utf-8"
    )
    response["Link"] = _links(request, "data:metrics_csv")
    return _attachment(response, "ncmec-metrics.csv")


@require_safe
def states_csv(request):
    response = StreamingHttpResponse(
        download_files.states_csv(State.objects.order_by("code")),
        content_type="text/csv; charset=utf-8",
    )
    response["Link"] = _links(request, "data:states_csv")
    return _attachment(response, "ncmec-states.csv")


@require_safe
def data_index(request):
    """What each file holds, column by column; the filters; the licence; how to cite."""
    address = _absolute(request, "data:index")
    published = last_changed()
    example = FigureFilters.from_query(data_page.JSON_EXAMPLE_QUERY)
    return render(
        request,
        "data/index.html",
        {
            "title": "Download the data",
            "description": "Every published NCMEC figure as CSV, JSON or Excel, with the "
            "metrics and states they refer to.",
            "figure_columns": data_page.FIGURE_COLUMNS,
            "metric_columns": data_page.METRIC_COLUMNS,
            "state_columns": data_page.STATE_COLUMNS,
            "filters": data_page.FILTERS,
            "licence": LICENCE,
            "page_citation": citation("Download the data", address, published=published),
            "csv_citation": citation(
                "Published figures (year 2023; state MN)",
                _absolute(request, "data:figures_csv", {"year": "2023", "state": "MN"}),
                published=published,  # an example: the page's own date
            ),
            "json_example_url": f"{reverse('data:figures_json')}?{urlencode(example.query)}",
            # An example: the page's own date, as above.
            "json_example": data_page.json_example(_citation(request, example, published)),
        },
    )
