"""Publishing an edition (a reporting year) puts its figures in front of the public;
unpublishing takes them back. Used by the admin and the publish_due_editions command."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import Edition, Figure


@dataclass(frozen=True)
class PublishingImpact:
    """What publishing or unpublishing an edition changes, for the confirmation page."""

    edition: Edition
    figures: int
    states: int


def editions_impact(editions):
    """How many figures, and of how many states, each edition holds: one counting query."""
    editions = list(editions)
    counts = {
        row["year"]: (row["figures"], row["states"])
        for row in Figure.objects.filter(year__in=[e.year for e in editions])
        .order_by()
        .values("year")
        .annotate(figures=Count("pk"), states=Count("state", distinct=True))
    }
    return [PublishingImpact(e, *counts.get(e.year, (0, 0))) for e in editions]


def _save(edition, *, user, reason):
    edition.updated_by = user
    edition._change_reason = reason
    edition._history_user = user
    edition.save()


@transaction.atomic
def edition_publish(*, edition: Edition, user=None, reason: str = "Published") -> bool:
    """Publish a draft edition now; False if it was published already."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        return False
    edition.status = Edition.Status.PUBLISHED
    edition.published_at = timezone.now()
    edition.publish_at = None
    _save(edition, user=user, reason=reason)
    return True


@transaction.atomic
def edition_unpublish(*, edition: Edition, user=None) -> bool:
    """Take a published edition back to draft; False if it was a draft already."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not edition.is_published:
        return False
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


def editions_ensure(years, *, user=None, reason="Created by an import") -> list[int]:
    """Create a draft edition for each year that has none; the years created."""
    missing = sorted(set(years) - set(Edition.objects.filter(year__in=years).values_list(
        "year", flat=True)))  # fmt: skip
    for year in missing:
        edition = Edition(year=year)
        edition.full_clean()
        _save(edition, user=user, reason=reason)
    return missing
