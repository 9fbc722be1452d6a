"""sitemap.xml: the public pages with figures, each dated by when its figures last changed.

A program page or a fact sheet is listed for a year only when it shows a published
figure of its own that year: a state with no figure for a year has a page, but one
that only says so and repeats the national figures, which search engines need not
crawl 56 times a year. Pages are listed at their canonical, dated address
(/states/minnesota/2023/); the undated ones name it as their canonical link.
``lastmod`` is the year's publication or its latest public revision, whichever is
later (reader.published); a metric's page by its latest year. Six queries, whatever the
number of states and years.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Figure
from .reader.published import year_publications


class PagesSitemap(Sitemap):
    def items(self):
        return ["home", "programs:list", "states:list"]

    def location(self, name):
        return reverse(name)


class YearPagesSitemap(Sitemap):
    """Pages of a (slug, year) that have published figures: two queries."""

    url_name = ""

    def pages(self):
        """(slug, year) of every page with a published figure of its own."""
        raise NotImplementedError

    def items(self):
        dates = year_publications()
        return [
            (slug, year, dates[year].last_changed) for slug, year in self.pages() if year in dates
        ]

    def location(self, item):
        slug, year, _ = item
        return reverse(self.url_name, args=[slug, year])

    def lastmod(self, item):
        return item[2]


class ProgramSitemap(YearPagesSitemap):
    url_name = "programs:year"

    def pages(self):
        return (
            Figure.objects.published()
            .order_by("metric__program__slug", "-year")
            .values_list("metric__program__slug", "year")
            .distinct()
        )


class FactSheetSitemap(YearPagesSitemap):
    url_name = "states:fact_sheet"

    def pages(self):
        return (
            Figure.objects.published()
            .for_states()
            .order_by("state__slug", "-year")
            .values_list("state__slug", "year")
            .distinct()
        )


class MetricSitemap(Sitemap):
    """The page of every metric with a published figure, dated by its latest year's
    publication or revision: two queries."""

    def items(self):
        dates = year_publications()
        latest = {}
        pages = Figure.objects.published().order_by().values_list("metric__key", "year")
        for key, year in pages.distinct():
            if year in dates and (key not in latest or year > latest[key]):
                latest[key] = year
        return [(key, dates[year].last_changed) for key, year in sorted(latest.items())]

    def location(self, item):
        return reverse("metrics:detail", args=[item[0]])

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "pages": PagesSitemap,
    "programs": ProgramSitemap,
    "fact-sheets": FactSheetSitemap,
    "metrics": MetricSitemap,
}
