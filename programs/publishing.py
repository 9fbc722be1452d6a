"""Publishing an edition (a reporting year) puts its figures in front of the public;
unpublishing takes them back. Used by the admin, the publish_edition and
publish_due_editions commands; every change here goes through public_change()."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import Edition, Figure, PendingChange, public_change, require_publisher


class PublishingRefused(Exception):
    """A publishing step that cannot be taken as things stand; the message says why."""


@dataclass(frozen=True)
class PublishingImpact:
    """What publishing or unpublishing an edition changes, for the confirmation page."""

    edition: Edition
    figures: int
    states: int
    pending: int = 0

    def describe(self):
        """ "3 figures (2 states or territories and national figures)"."""
        places = "state or territory" if self.states == 1 else "states or territories"
        return f"{plural(self.figures, 'figure')} ({self.states} {places} and national figures)"


def plural(n, word):
    """ "1 figure", "3 figures": a count and its noun."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def editions_impact(editions):
    """How many figures (of how many states) and pending changes each edition has."""
    editions = list(editions)
    years = [e.year for e in editions]
    counts = {
        row["year"]: (row["figures"], row["states"])
        for row in Figure.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(figures=Count("pk"), states=Count("state", distinct=True))
    }
    pending = dict(
        PendingChange.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    return [
        PublishingImpact(e, *counts.get(e.year, (0, 0)), pending=pending.get(e.year, 0))
        for e in editions
    ]


def _save(edition, *, user, reason):
    edition.updated_by = user
    edition._change_reason = reason
    edition._history_user = user
    edition.save()


def edition_publish(*, edition: Edition, user=None, reason: str = "Published") -> bool:
    """Publish a draft edition now; False if it was published already."""
    require_publisher(user, "publish an edition")
    with public_change(user=user):
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.is_published:
            return False
        edition.status = Edition.Status.PUBLISHED
        edition.published_at = timezone.now()
        edition.publish_at = None
        _save(edition, user=user, reason=reason)
    return True


def edition_unpublish(*, edition: Edition, user=None) -> bool:
    """Take a published edition back to draft; False if it was a draft already."""
    require_publisher(user, "unpublish an edition")
    with public_change(user=user):
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if not edition.is_published:
            return False
        pending = PendingChange.objects.filter(year=edition.year).count()
        if pending:
            raise PublishingRefused(
                f"The {edition.year} edition has {pending} pending change(s): publish or "
                "discard them before unpublishing it."
            )
        edition.status = Edition.Status.DRAFT
        edition.published_at = None
        edition.publish_at = None  # a schedule left on it would publish it again
        _save(edition, user=user, reason="Unpublished")
    return True


def editions_publish_due(*, now=None) -> list[int]:
    """Publish every draft whose scheduled time has come; the years published."""
    published = []
    for edition in Edition.objects.due(now).order_by("year"):
        if edition_publish(edition=edition, reason="Published as scheduled"):
            published.append(edition.year)
    return published


@transaction.atomic
def editions_ensure(years, *, user=None, reason="Created by an import") -> list[int]:
    """Create a draft edition for each year that has none; the years created."""
    missing = sorted(set(years) - set(Edition.objects.filter(year__in=years).values_list(
        "year", flat=True)))  # fmt: skip
    for year in missing:
        edition = Edition(year=year)
        edition.full_clean()
        _save(edition, user=user, reason=reason)
    return missing
