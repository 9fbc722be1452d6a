"""Corrections to published editions: staging them, publishing them, discarding them.

A change to a figure readers can see is never written to the figure: it is staged as a
PendingChange (by the admin's pending-change form or by an import, through
:func:`pending_changes_stage`). A Publisher then publishes all of an edition's pending
changes at once (:func:`pending_changes_publish`), in one transaction that writes a
public revision note, or discards them (:func:`pending_changes_discard`).
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ncmec_site.logs import who
from states.models import State

from .models import (
    Action,
    Edition,
    Figure,
    Metric,
    PendingChange,
    RevisedFigure,
    Revision,
    public_change,
    public_write,
    require_publisher,
)
from .models.revisions import FIGURE_TEXT_FIELDS
from .publishing import PublishingRefused

logger = logging.getLogger(__name__)


@dataclass
class Proposal:
    """A figure of a published edition as it should read, or withdrawn."""

    metric: Metric
    year: int
    state: State | None
    figure: Figure | None  # the published figure, None for a new one
    withdraw: bool = False
    value: Decimal | None = None
    qualifier: str = ""
    source: str = ""
    note: str = ""

    @property
    def key(self):
        return (self.metric.pk, self.year, self.state.pk if self.state else None)

    def fields(self):
        return {name: getattr(self, name) for name in FIGURE_TEXT_FIELDS}

    def is_no_change(self):
        """True when it says what the published figure already says."""
        if self.figure is None:
            return self.withdraw
        return not self.withdraw and all(
            getattr(self.figure, name) == value for name, value in self.fields().items()
        )


def lock_editions(years):
    """Stage and publish one at a time per edition, so no staged change is lost."""
    return list(Edition.objects.select_for_update().filter(year__in=sorted(set(years))))


def _current_figures(keys):
    """The saved figures of these (metric, year, state) keys, read under the editions'
    lock: a figure looked up before it (by a form, by an import) may be gone or new."""
    years = {year for _, year, _ in keys}
    metrics = {metric for metric, _, _ in keys}
    return {
        (f.metric_id, f.year, f.state_id): f
        for f in Figure.objects.filter(year__in=years, metric__in=metrics).order_by()
    }


@dataclass
class Staged:
    changes: list[PendingChange]  # staged or restaged, in the order proposed
    unstaged: int  # pending changes removed: the figure is back to what readers see


def pending_changes_stage(*, proposals: list[Proposal], user=None, reason: str) -> Staged:
    """Stage changes to published figures: add, change or withdraw, one per figure.

    A proposal replaces the figure's pending change if it has one (keeping its row);
    one that says what the published figure says removes it. A change needs a reason,
    which readers will see in the revision note; taking one back does not.
    """
    reason = reason.strip()
    now = timezone.now()
    with transaction.atomic():
        lock_editions(p.year for p in proposals)
        keys = [p.key for p in proposals]
        figures = _current_figures(keys) if keys else {}
        existing = {}
        if proposals:
            years = {p.year for p in proposals}
            metrics = {p.metric.pk for p in proposals}
            for pending in PendingChange.objects.filter(year__in=years, metric__in=metrics):
                existing[(pending.metric_id, pending.year, pending.state_id)] = pending
        staged, to_create, to_update, to_remove = [], [], [], []
        for proposal in proposals:
            proposal.figure = figures.get(proposal.key)
            pending = existing.get(proposal.key)
            if proposal.is_no_change():
                if pending is not None:
                    to_remove.append(pending.pk)
                continue
            if pending is None:
                pending = PendingChange(
                    metric=proposal.metric, year=proposal.year, state=proposal.state
                )
                to_create.append(pending)
            else:
                to_update.append(pending)
            pending.figure = proposal.figure
            if proposal.withdraw:
                pending.action = Action.WITHDRAW
                pending.value, pending.qualifier, pending.source, pending.note = None, "", "", ""
            else:
                pending.action = Action.CHANGE if proposal.figure else Action.ADD
                for name, value in proposal.fields().items():
                    setattr(pending, name, value)
            pending.reason = reason
            pending.staged_by = user
            pending.staged_at = now
            staged.append(pending)
        if staged and not reason:
            raise ValueError("Give a reason: readers see it in the revision note.")
        PendingChange.objects.bulk_create(to_create, batch_size=1000)
        PendingChange.objects.bulk_update(
            to_update,
            ["figure", "action", *FIGURE_TEXT_FIELDS, "reason", "staged_by", "staged_at"],
            batch_size=1000,
        )
        PendingChange.objects.filter(pk__in=to_remove).delete()
    if staged or to_remove:
        years = sorted({change.year for change in staged})
        logger.info(
            "%s staged %s change(s) to published figures of %s, took back %s: %s",
            who(user),
            len(staged),
            ", ".join(map(str, years)) or "none",
            len(to_remove),
            reason or "(no reason)",
            extra={
                "event": "correction.staged",
                "user": who(user),
                "years": years,
                "staged": len(staged),
                "unstaged": len(to_remove),
                "reason": reason,
            },
        )
    return Staged(changes=staged, unstaged=len(to_remove))


def pending_changes_publish(
    *, year: int, user=None, summary: str = "", reviewed: set[str] | None = None
) -> Revision | None:
    """Publish every pending change of a published edition at once, with a revision note.

    One transaction: readers see all of the changes or none. Each figure's history
    records the change with the reason and the staff member who staged it. ``reviewed``
    holds the review_token of each change the Publisher confirmed (of any year): if one
    of this year's was staged, restaged or dropped since, nothing is published. Returns
    the note, or None if nothing was pending (or nothing differs from what readers see).
    """
    require_publisher(user, "publish pending changes")
    with public_change(user=user):
        editions = lock_editions([year])
        if not editions or not editions[0].is_published:
            raise PublishingRefused(
                f"The {year} edition is not published: publish the edition itself."
            )
        pending = list(PendingChange.objects.filter(year=year).select_related("metric", "state"))
        seen = {token for token in reviewed or () if token.startswith(f"{year}:")}
        if reviewed is not None and {c.review_token for c in pending} != seen:
            raise PublishingRefused(
                f"The pending changes of {year} changed while you were reviewing them: "
                "nothing was published. Review them again."
            )
        if not pending:
            return None
        figures = _current_figures([(c.metric_id, year, c.state_id) for c in pending])
        now = timezone.now()
        revision = Revision(year=year, published_at=now, published_by=user,
                            summary=summary.strip())  # fmt: skip
        added, changed, withdrawn, revised = [], [], [], []
        for change in pending:
            figure = figures.get((change.metric_id, year, change.state_id))
            old = None if figure is None else {n: getattr(figure, n) for n in FIGURE_TEXT_FIELDS}
            new = change.new_fields()
            if old == new:
                continue  # e.g. withdrawing a figure already gone: nothing readers see moves
            if new is None:
                withdrawn.append(figure)
            else:
                if figure is None:
                    figure = Figure(metric=change.metric, year=year, state=change.state)
                    added.append(figure)
                else:
                    changed.append(figure)
                for name, value in new.items():
                    setattr(figure, name, value)
                figure.revision = revision
                figure.updated_by = change.staged_by
                figure.updated = now
            figure._change_reason = change.reason
            figure._history_user = change.staged_by
            revised.append(_revised_figure(revision, change, old, new))
        PendingChange.objects.filter(pk__in=[c.pk for c in pending]).delete()
        if not revised:
            return None
        public_write(f"the {year} edition's figures")
        revision.save()
        bulk_create_with_history(added, Figure, batch_size=500)
        bulk_update_with_history(
            changed,
            Figure,
            [*FIGURE_TEXT_FIELDS, "revision", "updated", "updated_by"],
            batch_size=500,
        )
        for figure in withdrawn:
            # delete() records the history row (with its reason) and checks the guard.
            figure.delete()
        RevisedFigure.objects.bulk_create(revised, batch_size=1000)
    logger.info(
        "%s published %s correction(s) to the %s edition.",
        who(user),
        len(revised),
        year,
        extra={
            "event": "correction.published",
            "user": who(user),
            "year": year,
            "figures": len(revised),
            "revision": revision.pk,
        },
    )
    return revision


def _revised_figure(revision, change, old, new):
    """The note's row for one figure; its action says what readers see happen."""
    action = Action.ADD if old is None else (Action.WITHDRAW if new is None else Action.CHANGE)
    empty = dict.fromkeys(FIGURE_TEXT_FIELDS, "") | {"value": None}
    return RevisedFigure(
        revision=revision,
        metric=change.metric,
        state=change.state,
        action=action,
        reason=change.reason,
        **{f"old_{name}": value for name, value in (old or empty).items()},
        **{f"new_{name}": value for name, value in (new or empty).items()},
    )


def pending_changes_discard(*, year: int, user=None) -> int:
    """Drop every pending change of an edition; readers never saw them. The number dropped."""
    require_publisher(user, "discard pending changes")
    with transaction.atomic():
        lock_editions([year])
        deleted, _ = PendingChange.objects.filter(year=year).delete()
    if deleted:
        logger.info(
            "%s discarded %s pending change(s) to the %s edition.",
            who(user),
            deleted,
            year,
            extra={"event": "correction.discarded", "user": who(user), "year": year,
                   "discarded": deleted},
        )  # fmt: skip
    return deleted
