"""The API's endpoints: programs, states, metrics, figures, each a list and an object.

Published only, for everyone (a staff preview changes nothing here). Each answers in a
fixed number of queries, whatever the data: a count (for the figures, their groups)
and one page for a list, what the objects need (for the figures, the populations of
the page's years, which their rates are of), and the publication dates for the
citation. The numbers are pinned in tests/test_query_counts.py.
"""

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt

from ncmec_site.site_address import absolute_url
from states.models import State

from ..models import Figure, Metric, Program
from ..reader import downloads, rates
from ..reader.citation import citation
from ..reader.published import last_changed
from . import serializers
from .responses import ApiError, api_view, cors, error_response

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
PAGES = ("page", "page_size")
FILTERS = ("year", "state", "program", "metric")


def _cite(request, title, filters=None):
    """The response's citation: published when the site's figures last were, or those of
    ``filters`` (a list of figures: reader.downloads.FigureFilters)."""
    if filters is None:
        published = last_changed()
    else:
        published = last_changed(filters.revised_figures(), filters.years)
    return citation(title, absolute_url(request.get_full_path()), published=published)


def _whole(request, name, default, maximum=None):
    values = request.GET.getlist(name)
    if not values:
        return default
    raw = values[-1].strip()
    if len(values) > 1 or not (0 < len(raw) < 10 and raw.isascii() and raw.isdigit()):
        raise ApiError(400, f"{name} must be one whole number, like {name}=2.", name)
    value = int(raw)
    if value < 1:
        raise ApiError(400, f"{name} starts at 1.", name)
    if maximum is not None and value > maximum:
        raise ApiError(400, f"{name} is at most {maximum}.", name)
    return value


def _page(request, rows, query=None, count=None):
    """(this page's objects, the list's count/next/previous): two queries, a count and
    the page (one, given the ``count``). ``query``: the filters the next and previous
    links keep."""
    size = _whole(request, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    number = _whole(request, "page", 1)
    paginator = Paginator(rows, size)
    if count is not None:
        paginator.count = count  # a cached_property: given, it is not counted again
    if number > paginator.num_pages:
        raise ApiError(
            400, f"there is no page {number}: the last is {paginator.num_pages}.", "page"
        )
    page = paginator.page(number)

    def link(n):
        params = dict(query or {})
        if "page_size" in request.GET:
            params["page_size"] = size
        if n > 1:
            params["page"] = n
        path = f"{request.path}?{urlencode(params)}" if params else request.path
        return absolute_url(path)

    envelope = {
        "count": paginator.count,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
    }
    return list(page.object_list), envelope


def _listing(envelope, cited, results):
    return {**envelope, "citation": cited, "results": results}


def _programs():
    metrics = Metric.objects.visible().order_by("position", "key").only("key", "program")
    return Program.objects.visible().prefetch_related(
        Prefetch("metrics", queryset=metrics, to_attr="public_metrics")
    )


def _program(request, item):
    keys = [m.key for m in item.public_metrics]
    return serializers.program(item, absolute_url, keys)


@api_view(params=PAGES)
def program_list(request):
    programs, envelope = _page(request, _programs())
    results = [_program(request, item) for item in programs]
    return _listing(envelope, _cite(request, "Programs (NCMEC Data API)"), results)


@api_view
def program_detail(request, slug):
    item = _programs().filter(slug=slug).first()
    if item is None:
        raise Http404(f"No published program has the slug “{slug}”.")
    return {**_program(request, item), "citation": _cite(request, f"{item.name} (NCMEC Data API)")}


@api_view(params=PAGES)
def state_list(request):
    states, envelope = _page(request, State.objects.all())
    results = [serializers.state(item, absolute_url) for item in states]
    return _listing(envelope, _cite(request, "States and territories (NCMEC Data API)"), results)


@api_view
def state_detail(request, code):
    item = State.objects.lookup(code)
    if item is None:
        raise Http404(f"No state or territory has the code or name “{code}”.")
    body = serializers.state(item, absolute_url)
    return {**body, "citation": _cite(request, f"{item.name} (NCMEC Data API)")}


def _metrics():
    """The metrics with published figures, the reference data (population) among them."""
    return (
        Metric.objects.in_data()
        .select_related("program", "parent")
        .prefetch_related("notes")
        .order_by(
            F("program__work_area").asc(nulls_last=True),
            F("program__position").asc(nulls_last=True),
            "position",
            "key",
        )
    )


def _metric_years(metrics):
    """{metric id: its published years}: one query of (metric, year) pairs."""
    years = {}
    pairs = (
        Figure.objects.published()
        .filter(metric__in=[m.pk for m in metrics])
        .order_by()
        .values_list("metric_id", "year")
        .distinct()
    )
    for metric_id, year in pairs:
        years.setdefault(metric_id, []).append(year)
    return years


def _metric_bodies(request, metrics):
    years = _metric_years(metrics)
    return [
        serializers.metric(m, absolute_url, years.get(m.pk, []), m.notes.all()) for m in metrics
    ]


@api_view(params=PAGES)
def metric_list(request):
    metrics, envelope = _page(request, _metrics())
    results = _metric_bodies(request, metrics)
    return _listing(envelope, _cite(request, "Metrics (NCMEC Data API)"), results)


@api_view
def metric_detail(request, key):
    metrics = list(_metrics().filter(key=key))
    if not metrics:
        raise Http404(f"No metric with published figures has the key “{key}”.")
    (body,) = _metric_bodies(request, metrics)
    return {**body, "citation": _cite(request, f"{metrics[0].label} (NCMEC Data API)")}


class FigurePages:
    """The figures the filters select, read a page at a time through their (year, metric)
    groups, as Paginator reads a list: a page's query reads the figures of the two or
    three groups it spans, not every figure the filters select (a year's 4,500, or all
    90,000 with no filter) to sort them and send 100. ``groups``: (year, metric id,
    figures) in the rows' order, which sorts by year and metric before the state."""

    def __init__(self, rows, groups):
        self.rows, self.groups = rows, groups

    def count(self):
        return sum(n for _, _, n in self.groups)

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        spanned, first, at = Q(pk__in=[]), None, 0
        for year, metric_id, n in self.groups:
            if at >= stop:
                break
            if at + n > start:
                first = at if first is None else first
                spanned |= Q(year=year, metric_id=metric_id)
            at += n
        if first is None:
            return []
        return list(self.rows.filter(spanned)[start - first : stop - first])


def _figure_groups(rows):
    """How many figures the filters select in each year and metric, in the list's order:
    one query, which the page's own then reads by (3.5 ms for a year at full scale, where
    a count and an OFFSET read 11.6 ms: benchmarks/pages.py, 2026-12-03)."""
    order = [field for field in rows.query.order_by if field != "state__name"]
    return list(rows.order_by(*order).values_list("year", "metric_id").annotate(n=Count("pk")))


@api_view(params=FILTERS + PAGES)
def figure_list(request):
    filters = downloads.FigureFilters.from_query(request.GET).check()
    rows = downloads.figures(filters)
    pages = FigurePages(rows, _figure_groups(rows))
    figures, envelope = _page(request, pages, filters.query, pages.count())
    populations = rates.populations_by_year(False, {item.year for item in figures})
    results = [serializers.figure(item, populations) for item in figures]
    cited = _cite(request, "Published figures (NCMEC Data API)", filters)
    return _listing(envelope, cited, results)


@csrf_exempt
def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404 (or the address with its missing
    slash, when that is an endpoint)."""
    if not request.path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not_found":
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
            response["Content-Type"] = "application/json"
            return cors(response)
    index = reverse("api:index")
    return cors(
        error_response(
            404, f"There is nothing at {request.path[:100]}: {index} lists the API's addresses."
        )
    )
