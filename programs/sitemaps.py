"""sitemap.xml: the public pages with figures, each dated by when its figures last changed.

A program page or a fact sheet is listed for a year only when it shows a published
figure of its own that year: a state with no figure for a year has a page, but one
that only says so and repeats the national figures, which search engines need not
crawl 56 times a year. Pages are listed at their canonical, dated address
(/states/minnesota/2023/); the undated ones name it as their canonical link.
``lastmod`` is what the page's own published line says (reader.published): its year's
publication, or the latest public revision of a figure the page shows when later (a
metric's page: its latest year's publication, or a revision of any of its years).

Four queries at most (index probes, and a look for the latest revision of each page's
figures) and a ``reverse()`` per address; the XML is
written here rather than by Django's sitemap view, whose template took 180 ms for the
1,131 addresses of the full-scale benchmark (benchmarks/pages.py, 2026-12-03).
"""

from xml.sax.saxutils import escape

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from ncmec_site.site_address import absolute_url
from states.models import State

from .formatting import data_date
from .models import Edition, Figure, Metric, Program, RevisedFigure
from .reader import published

XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _probe(figures, order):
    """One of ``figures``, or NULL: a scalar subquery with LIMIT 1, an index probe on
    PostgreSQL where EXISTS may become a join over every figure. ``order`` is the
    second column of the index to probe, which steers the planner to it."""
    return Subquery(figures.order_by(order).values("pk")[:1])


def _year_pages(rows, years, revised_years, probe, shown):
    """(slug, year, latest revision or None) of each row (a program, a state) and year
    whose ``probe(year)`` finds a figure; ``shown(year)`` is what its page shows
    (reader.published). One query: a probe per row and year, and a look for the latest
    revision of the page's figures where one of ``revised_years`` is among the years it
    shows (``published.years_shown``: most years have none, and each look costs about
    2 ms to write and plan, 20 years of 56 states 100 ms)."""
    if not years:
        return []
    columns = {}
    for year in years:
        columns[f"y{year}"] = probe(year)
        if revised_years.intersection(published.years_shown(year)):
            columns[f"r{year}"] = published.latest_revision(shown(year))
    found = rows.annotate(**columns).values("slug", *columns)
    return [
        (row["slug"], year, row.get(f"r{year}"))
        for row in found
        for year in years
        if row[f"y{year}"] is not None
    ]


def _program_pages(years, revised_years):
    """Every published program with a figure in a published year: a probe per program
    and year on the (metric, year) index."""
    return _year_pages(
        Program.objects.published().order_by("slug"),
        years,
        revised_years,
        lambda year: _probe(
            Figure.objects.filter(metric__program=OuterRef("pk"), year=year), "metric_id"
        ),
        lambda year: published.on_program_page(OuterRef("pk"), year),
    )


def _fact_sheet_pages(years, revised_years):
    """Every state with a figure of a published program in a published year: a probe
    per state and year on the (state, year) index."""
    public = Figure.objects.filter(metric__program__is_published=True)
    return _year_pages(
        State.objects.order_by("slug"),
        years,
        revised_years,
        lambda year: _probe(public.filter(state=OuterRef("pk"), year=year), "state_id"),
        lambda year: published.on_fact_sheet(OuterRef("pk"), year),
    )


def _metric_pages(years):
    """(key, latest published year with a figure, latest revision or None) of every
    metric of a published program: one query, a backward read of the (metric, year)
    index per metric."""
    if not years:
        return []
    latest = Subquery(
        Figure.objects.filter(metric=OuterRef("pk"), year__in=years)
        .order_by("-year")
        .values("year")[:1]
    )
    rows = (
        Metric.objects.published()
        .order_by("key")
        .annotate(
            latest=latest,
            revised=published.latest_revision(published.on_metric_page(OuterRef("pk"))),
        )
    )
    return list(rows.filter(latest__isnull=False).values_list("key", "latest", "revised"))


def sitemap_build() -> dict[str, list[tuple[str, object]]]:
    """{section: [(path, lastmod or None)]}: four queries, whatever the data."""
    # Each published year's date, and whether a public revision note names its figures.
    revised = RevisedFigure.objects.public().filter(revision__year=OuterRef("year"))
    rows = Edition.objects.published().annotate(revised=Exists(revised))
    editions, revised_years = {}, set()
    for year, published_at, was_revised in rows.values_list("year", "published_at", "revised"):
        editions[year] = published_at
        if was_revised:
            revised_years.add(year)
    years = sorted(editions, reverse=True)

    def lastmod(year, revised):
        return published.YearPublication.of(year, editions[year], revised).last_changed

    def dated(url_name, pages):
        return [
            (reverse(url_name, args=[slug, year]), lastmod(year, revised))
            for slug, year, revised in pages
        ]

    return {
        "pages": [(reverse(name), None) for name in ("home", "programs:list", "states:list")],
        "programs": dated("programs:year", _program_pages(years, revised_years)),
        "fact-sheets": dated("states:fact_sheet", _fact_sheet_pages(years, revised_years)),
        "metrics": [
            (reverse("metrics:detail", args=[key]), lastmod(year, revised))
            for key, year, revised in _metric_pages(years)
        ],
    }


def sitemap_xml(entries, absolute) -> str:
    """The sitemap of ``sitemap_build()``'s entries, each path made absolute by
    ``absolute``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{XMLNS}">']
    for section in entries.values():
        for path, lastmod in section:
            dated = f"<lastmod>{data_date(lastmod)}</lastmod>" if lastmod else ""
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
