"""sitemap.xml: the public pages with figures, each dated by when its figures last changed.

A program page or a fact sheet is listed for a year only when it shows a published
figure of its own that year: a state with no figure for a year has a page, but one
that only says so and repeats the national figures, which search engines need not
crawl 56 times a year. Pages are listed at their canonical, dated address
(/states/minnesota/2023/); the undated ones name it as their canonical link.
``lastmod`` is the year's publication or its latest public revision, whichever is
later (reader.published); a metric's page by its latest year.

The entries change only with the publication version, so they are built once per
version (four queries at most, index probes only, and a ``reverse()`` per address),
and so is the XML: a request then costs no query.
"""

from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_response
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse

from ncmec_site.compression import Fragment, with_fragment
from ncmec_site.site_address import absolute_url, site_origin
from states.models import State

from .models import Figure, Metric, Program
from .reader.catalog import publications as year_publications
from .reader.versioned import once_per_version

# What the rendered sitemap's response says beside its XML (Django's view sets them).
KEPT_HEADERS = ("Last-Modified", "X-Robots-Tag")
# Where the response takes the rendered XML: no address can write it.
BODY_MARK = "<!--sitemap-->"


def _probe(figures, order):
    """One of ``figures``, or NULL: a scalar subquery with LIMIT 1, an index probe on
    PostgreSQL where EXISTS may become a join over every figure. ``order`` is the
    second column of the index to probe, which steers the planner to it."""
    return Subquery(figures.order_by(order).values("pk")[:1])


def _program_pages(years):
    """(slug, year) of every published program with a figure in a published year: one
    query, a probe per program and year on the (metric, year) index."""
    if not years:
        return []
    probes = {
        f"y{year}": _probe(
            Figure.objects.filter(metric__program=OuterRef("pk"), year=year), "metric_id"
        )
        for year in years
    }
    rows = Program.objects.published().order_by("slug").annotate(**probes)
    return _found(rows, probes, years)


def _found(rows, probes, years):
    """(slug, year) of each row and year whose probe found a figure."""
    return [
        (slug, year)
        for slug, *found in rows.values_list("slug", *probes)
        for year, probe in zip(years, found, strict=True)
        if probe is not None
    ]


def _fact_sheet_pages(years):
    """(slug, year) of every state with a figure of a published program in a published
    year: one query, a probe per state and year on the (state, year) index."""
    if not years:
        return []
    public = Figure.objects.filter(metric__program__is_published=True)
    probes = {
        f"y{year}": _probe(public.filter(state=OuterRef("pk"), year=year), "state_id")
        for year in years
    }
    rows = State.objects.order_by("slug").annotate(**probes)
    return _found(rows, probes, years)


def _metric_pages(years):
    """{key: latest published year with a figure} of every metric of a published
    program: one query, a backward read of the (metric, year) index per metric."""
    if not years:
        return {}
    latest = Subquery(
        Figure.objects.filter(metric=OuterRef("pk"), year__in=years)
        .order_by("-year")
        .values("year")[:1]
    )
    rows = Metric.objects.published().order_by("key").annotate(latest=latest)
    return dict(rows.filter(latest__isnull=False).values_list("key", "latest"))


def sitemap_build() -> dict[str, list[tuple[str, object]]]:
    """{section: [(path, lastmod or None)]}: four queries at most (the publication
    dates are usually read already: reader.catalog), whatever the data."""
    dates = year_publications()
    years = sorted(dates, reverse=True)

    def dated(url_name, pages):
        return [
            (reverse(url_name, args=[slug, year]), dates[year].last_changed)
            for slug, year in pages
        ]

    return {
        "pages": [(reverse(name), None) for name in ("home", "programs:list", "states:list")],
        "programs": dated("programs:year", _program_pages(years)),
        "fact-sheets": dated("states:fact_sheet", _fact_sheet_pages(years)),
        "metrics": [
            (reverse("metrics:detail", args=[key]), dates[year].last_changed)
            for key, year in _metric_pages(years).items()
        ],
    }


def sitemap_entries():
    """The built entries of the current publication version (once per version)."""
    return once_per_version("sitemap-entries", sitemap_build)


class BuiltSitemap(Sitemap):
    """A section of entries built already: (path, lastmod) pairs."""

    def __init__(self, entries):
        self.entries = entries

    def items(self):
        return self.entries

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]

    def get_urls(self, page=1, site=None, protocol=None):
        scheme, host = site_origin()  # the site's address, not the request's Host
        return super().get_urls(page, SimpleNamespace(domain=host), scheme)


def sections():
    return {name: BuiltSitemap(entries) for name, entries in sitemap_entries().items()}


def sitemap(request):
    """sitemap.xml, its XML rendered once per publication version and site address (the
    addresses in it are absolute): a request then costs no query and no rendering of
    its 1,131 addresses."""

    def build():
        response = sitemap_response(request, sections())
        response.render()
        kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return Fragment.of(response.content.decode()), kept

    if request.GET.get("p", "1") != "1":  # Django's pages past 50,000 addresses: as asked
        return sitemap_response(request, sections())
    body, headers = once_per_version(f"sitemap:{absolute_url()}", build)
    response = HttpResponse(BODY_MARK, content_type="application/xml", headers=headers)
    return with_fragment(response, BODY_MARK, body)
