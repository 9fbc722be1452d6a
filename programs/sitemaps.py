"""sitemap.xml: the public pages with figures, each dated by when its figures last changed.

A program page or a fact sheet is listed for a year only when it shows a published
figure of its own that year: a state with no figure for a year has a page, but one
that only says so and repeats the national figures, which search engines need not
crawl 56 times a year. Pages are listed at their canonical, dated address
(/states/minnesota/2023/); the undated ones name it as their canonical link.
``lastmod`` is the year's publication or its latest public revision, whichever is
later (reader.published); a metric's page by its latest year.

Four queries at most (index probes only) and a ``reverse()`` per address; the XML is
written here rather than by Django's sitemap view, whose template took 180 ms for the
1,131 addresses of the full-scale benchmark (benchmarks/pages.py, 2026-12-03).
"""

from xml.sax.saxutils import escape

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ncmec_site.site_address import absolute_url
from states.models import State

from .models import Figure, Metric, Program
from .reader.published import year_publications

XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


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


def sitemap_xml(entries, absolute) -> str:
    """The sitemap of ``sitemap_build()``'s entries, each path made absolute by
    ``absolute``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{XMLNS}">']
    for section in entries.values():
        for path, lastmod in section:
            dated = f"<lastmod>{timezone.localdate(lastmod)}</lastmod>" if lastmod else ""
            lines.append(f"<url><loc>{escape(absolute(path))}</loc>{dated}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


@require_safe
def sitemap(request):
    """sitemap.xml: four queries, whatever the data (under 50,000 addresses, one file:
    56 places a year would take 890 years to reach it)."""
    response = HttpResponse(
        sitemap_xml(sitemap_build(), absolute_url),
        content_type="application/xml",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
