"""Publishing an edition (a reporting year) puts its figures in front of the public;
unpublishing takes them back. Used by the admin, the publish_edition and
publish_due_editions commands; every change here goes through public_change()."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ncmec_site.logs import who

from .figure_checks import Candidate, Flag, candidate_flags, year_flags
from .models import Action, Edition, Figure, PendingChange, public_change, require_publisher

logger = logging.getLogger(__name__)


class PublishingRefused(Exception):
    """A publishing step that cannot be taken as things stand; the message says why."""


@dataclass(frozen=True)
class PublishingImpact:
    """What publishing or unpublishing an edition changes, for the confirmation page."""

    edition: Edition
    state_figures: int
    states: int
    national_figures: int
    pending: int = 0

    @property
    def figures(self):
        return self.state_figures + self.national_figures

    def describe(self):
        """ "12 state figures for 2 states; no national figure", "1 national figure; no
        state figure", "8 state figures for 2 states and 3 national figures", "no figure"."""
        states = f"{plural(self.state_figures, 'state figure')} for {plural(self.states, 'state')}"
        national = plural(self.national_figures, "national figure")
        if self.state_figures and self.national_figures:
            return f"{states} and {national}"
        if self.state_figures:
            return f"{states}; no national figure"
        if self.national_figures:
            return f"{national}; no state figure"
        return "no figure"


def plural(n, word):
    """ "1 figure", "3 figures": a count and its noun."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def editions_impact(editions):
    """How many state figures (of how many states), national figures and pending changes
    each edition has. Two queries."""
    editions = list(editions)
    years = [e.year for e in editions]
    counts = {
        row["year"]: (row["state_figures"], row["states"], row["national_figures"])
        for row in Figure.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(
            state_figures=Count("pk", filter=Q(state__isnull=False)),
            states=Count("state", distinct=True),
            national_figures=Count("pk", filter=Q(state__isnull=True)),
        )
    }
    pending = dict(
        PendingChange.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    return [
        PublishingImpact(e, *counts.get(e.year, (0, 0, 0)), pending=pending.get(e.year, 0))
        for e in editions
    ]


def editions_publishable(editions=None):
    """Of ``editions`` (a queryset; every edition if None), those publishing would change:
    the drafts, and the published years with pending changes. By year."""
    editions = Edition.objects.all() if editions is None else editions
    pending_years = PendingChange.objects.values("year")
    return editions.filter(Q(status=Edition.Status.DRAFT) | Q(year__in=pending_years)).order_by(
        "year"
    )


def editions_flags(editions) -> dict[int, list[Flag]]:
    """{year: [flags]} of what publishing these editions would put in front of readers:
    a draft's saved figures; a published year's pending changes, as the figures would
    be once published. A fixed number of queries."""
    editions = list(editions)
    flags = year_flags([e.year for e in editions if not e.is_published])
    published = {e.year for e in editions if e.is_published}
    pending = PendingChange.objects.filter(year__in=published).select_related("metric", "state")
    candidates = [
        Candidate(c.metric, c.year, c.state, c.value, c.qualifier, c.source)
        for c in pending
        if c.action != Action.WITHDRAW
    ]
    flags.update({year: [] for year in published})
    for flag in candidate_flags(candidates) if candidates else ():
        flags[flag.year].append(flag)
    return flags


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
    logger.info(
        "%s published the %s edition (%s).",
        who(user),
        edition.year,
        reason,
        extra={"event": "edition.published", "user": who(user), "year": edition.year},
    )
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
                f"The {edition.year} edition has {plural(pending, 'pending change')}: "
                "publish or discard them before unpublishing it."
            )
        edition.status = Edition.Status.DRAFT
        edition.published_at = None
        edition.publish_at = None  # a schedule left on it would publish it again
        _save(edition, user=user, reason="Unpublished")
    logger.info(
        "%s unpublished the %s edition.",
        who(user),
        edition.year,
        extra={"event": "edition.unpublished", "user": who(user), "year": edition.year},
    )
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
