"""sitemap.xml: the public pages of published programs and published editions only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from states.models import State

from .models import Figure, Program


class PagesSitemap(Sitemap):
    def items(self):
        return ["home", "programs:list", "states:list"]

    def location(self, name):
        return reverse(name)


class ProgramSitemap(Sitemap):
    def items(self):
        return Program.objects.published()


class FactSheetSitemap(Sitemap):
    """A fact sheet for every state and territory in every published year."""

    def items(self):
        years = Figure.objects.published().years()
        return [(state.slug, year) for state in State.objects.all() for year in years]

    def location(self, item):
        slug, year = item
        return reverse("states:fact_sheet", args=[slug, year])


SITEMAPS = {"pages": PagesSitemap, "programs": ProgramSitemap, "fact-sheets": FactSheetSitemap}
