"""When the figures a page shows were published and last revised.

The published line of every page with figures ("Figures for 2023 published 1 March
2024; last revised 3 May 2024"), its citation and its ``lastmod`` in the sitemap read the
same dates: the edition's ``published_at`` for the page's year, and the latest public
revision note that changed a figure the page shows, when later. A correction to another
program's figure, or to another state's, leaves a page alone.

What a page shows is a ``Q`` over the figures revision notes name (``RevisedFigure``:
``metric``, ``state`` and ``revision__year``), one function per page below; the sitemap
passes them ``OuterRef`` for its rows. A revised figure is named by its metric, place
and year, so a withdrawn figure still marks the page it was on. One query a page.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Subquery

from ..models import Edition, RevisedFigure
from .trends import trend_years


@dataclass(frozen=True)
class YearPublication:
    year: int
    published_at: datetime
    # The latest public revision of the page's figures, only when later than publication.
    revised_at: datetime | None = None

    @classmethod
    def of(cls, year, published_at, revised_at):
        """The dates of a page of ``year``, given when its latest revision was (or None):
        kept only when later than publication, as an edition published again after its
        last correction is not said to be revised."""
        if revised_at is not None and revised_at <= published_at:
            revised_at = None
        return cls(year, published_at, revised_at)

    @property
    def last_changed(self) -> datetime:
        return self.revised_at or self.published_at


def latest_revision(figures: Q):
    """When a public revision note last changed one of ``figures``: a subquery (NULL when
    none did)."""
    revised = RevisedFigure.objects.public().filter(figures)
    return Subquery(
        revised.order_by("-revision__published_at").values("revision__published_at")[:1]
    )


def publication(year, figures: Q) -> YearPublication | None:
    """The dates of a page of ``year`` that shows ``figures`` (None for no year, or a
    draft year): one query, none without a year."""
    if year is None:
        return None
    edition = (
        Edition.objects.published()
        .filter(year=year)
        .annotate(revised_at=latest_revision(figures))
        .values_list("published_at", "revised_at")
        .first()
    )
    return None if edition is None else YearPublication.of(year, *edition)


def last_changed(figures=None, years=None) -> datetime | None:
    """When ``figures`` (every figure without) of ``years`` (every published year without)
    were last published or revised: a download's or an API response's citation. One
    query; None when no such year is published."""
    editions = Edition.objects.published()
    figures = figures or Q()
    if years:
        editions = editions.filter(year__in=years)
        figures &= Q(revision__year__in=years)
    dates = editions.annotate(revised_at=latest_revision(figures)).values_list(
        "published_at", "revised_at"
    )
    return max((when for row in dates for when in row if when is not None), default=None)


# What each page shows. ``program``, ``state``, ``metric`` may be objects, ids or OuterRef.


def years_shown(year) -> range:
    """The years whose figures a program page or a fact sheet of ``year`` shows: its
    own, and those its trends draw (the change from the year before, the chart and table
    of the last few years). A revision of any other year never marks it."""
    first, last = trend_years(year)
    return range(first, last + 1)


def _years(year):
    """``years_shown``, as revision notes name them; none for a page of no year."""
    if not year:
        return Q(revision__year=None)
    shown = years_shown(year)
    return Q(revision__year__range=(shown[0], shown[-1]))


def on_program_page(program, year) -> Q:
    """A program page: its figures of the year (national, and every state's in its table
    and map), and its national figures of the years its trends draw."""
    return Q(metric__program=program) & (
        Q(revision__year=year) | (Q(state__isnull=True) & _years(year))
    )


def on_fact_sheet(state, year) -> Q:
    """A fact sheet: the headline figures of the state and of the nation, in the years its
    trends draw. (Its ranks compare every state's figure, which a revision elsewhere may
    move; the page does not show those figures.)"""
    return Q(metric__headline=True) & (Q(state=state) | Q(state__isnull=True)) & _years(year)


def on_metric_page(metric) -> Q:
    """A metric page: every published year of the metric and of its breakdowns' parts,
    every place."""
    return Q(metric=metric) | Q(metric__parent=metric)


def on_compare_page(states, year) -> Q:
    """The compare page: the year's figures of the states compared, and the nation's
    headline figures."""
    return Q(revision__year=year) & (
        Q(state__in=states) | Q(state__isnull=True, metric__headline=True)
    )


def on_home_page(year, *, series_metric=None, map_metric=None, map_year=None) -> Q:
    """The home page: the year's national headline figures, every year of the featured
    series' metric, and the map's metric in its year."""
    shown = Q(revision__year=year, state__isnull=True, metric__headline=True)
    if series_metric is not None:
        shown |= Q(metric=series_metric)
    if map_metric is not None:
        shown |= Q(metric=map_metric, revision__year=map_year)
    return shown
