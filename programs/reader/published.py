"""When a year's figures were published and last revised.

The published line on every page with figures ("Figures for 2023 published 1 March
2024; last revised 3 May 2024") and the sitemap's ``lastmod`` read the same dates: the
edition's ``published_at``, and the latest public revision note of that year when it is
later. One query, whatever the number of years or revisions.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from ..models import Edition, Revision


@dataclass(frozen=True)
class YearPublication:
    year: int
    published_at: datetime
    # The latest public revision note of the year, only when later than publication.
    revised_at: datetime | None = None

    @property
    def last_changed(self) -> datetime:
        return self.revised_at or self.published_at


def _published_editions(years=None):
    latest_revision = (
        Revision.objects.public()
        .prefetch_related(None)
        .filter(year=OuterRef("year"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    editions = Edition.objects.published().only("year", "published_at")
    if years is not None:
        editions = editions.filter(year__in=years)
    return editions.annotate(revised_at=Subquery(latest_revision))


def _dates(edition) -> YearPublication:
    revised = edition.revised_at
    if revised is not None and revised <= edition.published_at:
        revised = None  # an edition published again after its last correction
    return YearPublication(edition.year, edition.published_at, revised)


def year_publications(*years) -> dict[int, YearPublication]:
    """The dates of every published year (or of ``years``), by year: one query."""
    editions = _published_editions(years or None)
    return {edition.year: _dates(edition) for edition in editions}


def year_publication(year) -> YearPublication | None:
    """The dates of one published year's figures (None for no year, or a draft year):
    one query, none without a year."""
    return year_publications(year).get(year) if year is not None else None
