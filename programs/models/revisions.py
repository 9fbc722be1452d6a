"""Corrections to published editions: staged as pending changes, published as revisions.

A change to a figure readers can see (a new figure, a changed value, qualifier, source
or note, a withdrawn figure) never touches the figure itself: it waits as a
:class:`PendingChange` until a Publisher publishes the edition's pending changes at
once, which writes a public :class:`Revision` note listing each :class:`RevisedFigure`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import formatting
from .base import YEAR_VALIDATORS
from .editions import Edition
from .figure_queries import PlaceYearQuerySet
from .figures import QUALIFIER_HELP, Figure, figure_anchor
from .publication import PublicContent

FIGURE_TEXT_FIELDS = ("value", "qualifier", "source", "note")


class Action(models.TextChoices):
    ADD = "add", "New figure"
    CHANGE = "change", "Changed figure"
    WITHDRAW = "withdraw", "Withdrawn figure"


@dataclass(frozen=True)
class FieldChange:
    """One column of a figure that changes: its name, and the old and new text."""

    field: str
    old: str
    new: str

    def __str__(self):
        return f"{self.field}: {self.old} → {self.new}"


def _quoted(text):
    return f"“{text}”" if text else "(none)"


def field_changes(unit, old, new):
    """What differs between two versions of a figure ({value, qualifier, source, note}
    dicts; None for a figure that does not exist), as readers would say it."""
    changes = []
    if old is None or new is None:
        old_text = formatting.format_figure(old["value"], unit, old["qualifier"]) if old else ""
        new_text = formatting.format_figure(new["value"], unit, new["qualifier"]) if new else ""
        changes.append(FieldChange("value", old_text or "no figure", new_text or "withdrawn"))
        return changes
    if (old["value"], old["qualifier"]) != (new["value"], new["qualifier"]):
        old_text = formatting.format_figure(old["value"], unit, old["qualifier"])
        new_text = formatting.format_figure(new["value"], unit, new["qualifier"])
        if old_text == new_text:  # e.g. 36,200,000 rounded → 36,240,000 rounded
            old_text = formatting.format_figure(old["value"], unit)
            new_text = formatting.format_figure(new["value"], unit)
        if old["value"] == new["value"]:
            changes.append(
                FieldChange(
                    "qualifier",
                    QUALIFIER_WORDS[old["qualifier"]],
                    QUALIFIER_WORDS[new["qualifier"]],
                )  # fmt: skip
            )
        else:
            changes.append(FieldChange("value", old_text, new_text))
    for name in ("source", "note"):
        if old[name] != new[name]:
            changes.append(FieldChange(name, _quoted(old[name]), _quoted(new[name])))
    return changes


QUALIFIER_WORDS = {
    formatting.EXACT: "exact",
    formatting.MORE_THAN: "more than",
    formatting.ROUNDED: "rounded",
}


class PendingChangeQuerySet(PlaceYearQuerySet):
    def with_related(self):
        return self.select_related("metric__program", "state", "figure", "staged_by")


class PendingChange(models.Model):
    """A change to a figure of a published edition, waiting for a Publisher. Readers see
    the published figure until the edition's pending changes are published."""

    # Named, not imported: the rules of metrics and programs read pending changes, so
    # metrics.py and catalog.py import this module.
    metric = models.ForeignKey("programs.Metric", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    state = models.ForeignKey(
        "states.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank for a national figure.",
    )
    figure = models.ForeignKey(
        Figure,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_changes",
        help_text="The published figure this changes or withdraws; blank for a new figure.",
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    value = models.DecimalField(
        max_digits=15, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    qualifier = models.CharField(
        max_length=10,
        choices=Figure.Qualifier.choices,
        default=formatting.EXACT,
        blank=True,
        help_text=QUALIFIER_HELP,
    )
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    reason = models.TextField(help_text="Why the figure changes; shown to readers in the note.")
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staged_at = models.DateTimeField(default=timezone.now)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["year", "metric__program__work_area", "metric__position", "state__name"]
        verbose_name = "pending change"
        verbose_name_plural = "pending changes"
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "year", "state"],
                condition=Q(state__isnull=False),
                name="pending_unique_per_state",
                violation_error_message="This figure already has a pending change: edit it.",
            ),
            models.UniqueConstraint(
                fields=["metric", "year"],
                condition=Q(state__isnull=True),
                name="pending_unique_national",
                violation_error_message="This figure already has a pending change: edit it.",
            ),
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in Action]), name="pending_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(action="add", figure__isnull=True)
                | (~Q(action="add") & Q(figure__isnull=False)),
                name="pending_figure_matches_action",
            ),
            models.CheckConstraint(
                condition=Q(action="withdraw", value__isnull=True)
                | (~Q(action="withdraw") & Q(value__gte=0)),
                name="pending_value_matches_action",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="pending_has_reason"),
        ]

    def __str__(self):
        # What changes, then which figure; before it is staged (a form's instance, which
        # the admin's "was added" message names) its action is not known yet.
        figure = f"{self.metric.key}, {self.place_name}, {self.year}"
        return f"{self.get_action_display()}: {figure}" if self.action else figure

    @property
    def place_name(self):
        return self.state.name if self.state_id else "United States"

    @property
    def review_token(self):
        """What a Publisher saw of it: its year, itself, and when it was last staged."""
        return f"{self.year}:{self.pk}@{self.staged_at.isoformat()}"

    def new_fields(self):
        if self.action == Action.WITHDRAW:
            return None
        return {name: getattr(self, name) for name in FIGURE_TEXT_FIELDS}

    def old_fields(self):
        if self.figure is None:
            return None
        return {name: getattr(self.figure, name) for name in FIGURE_TEXT_FIELDS}

    def changes(self):
        return field_changes(self.metric.unit, self.old_fields(), self.new_fields())


class RevisionQuerySet(models.QuerySet):
    def public(self):
        """Notes readers may see: of a published edition, each with the revised figures of
        published programs only (prefetched, with their metric and place); a note with
        none of those is left out. Two queries."""
        shown = RevisedFigure.objects.of_published_programs()
        return (
            self.filter(year__in=Edition.objects.published().values("year"))
            .filter(models.Exists(shown.filter(revision=models.OuterRef("pk"))))
            .prefetch_related(
                models.Prefetch(
                    "figures",
                    queryset=shown.select_related("metric", "state").order_by(
                        "metric__program__work_area", "metric__position", "state__name"
                    ),
                )
            )
        )


class Revision(PublicContent):
    """A published correction note: the figures of a published year that changed, when, and
    why. Readers find it at /revisions/ and through the "revised" mark beside a figure."""

    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        blank=True, help_text="What the Publisher says about the correction as a whole."
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "revision note"
        verbose_name_plural = "revision notes"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("revisions:detail", args=[self.pk])

    def shown_to_public(self):
        return Edition.objects.published().filter(year=self.year).exists()

    @property
    def title(self):
        return f"Revision to the {self.year} figures, {self.date_label}"

    @property
    def date_label(self):
        """The day it was published, where the site keeps its time ("1 December 2026")."""
        return formatting.format_date(self.published_at)


class RevisedFigureQuerySet(models.QuerySet):
    def of_published_programs(self):
        return self.filter(Q(metric__program__is_published=True) | Q(metric__program__isnull=True))

    def public(self):
        """What readers may know was revised: the figures of published programs (and the
        reference data) in the notes of published editions; FigureQuerySet.published()
        for the figures a revision names."""
        return self.of_published_programs().filter(
            revision__year__in=Edition.objects.published().values("year")
        )


class RevisedFigure(models.Model):
    """One figure a revision changed: the old and the new version, and why."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="figures")
    metric = models.ForeignKey("programs.Metric", on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey(
        "states.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    old_value = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    old_qualifier = models.CharField(max_length=10, blank=True)
    old_source = models.CharField(max_length=300, blank=True)
    old_note = models.TextField(blank=True)
    new_value = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    new_qualifier = models.CharField(max_length=10, blank=True)
    new_source = models.CharField(max_length=300, blank=True)
    new_note = models.TextField(blank=True)
    reason = models.TextField()

    objects = RevisedFigureQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "pk"]
        verbose_name = "revised figure"
        verbose_name_plural = "revised figures"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in Action]), name="revised_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.metric.key}, {self.place_name}"

    @property
    def place_name(self):
        return self.state.name if self.state_id else "United States"

    @property
    def anchor(self):
        return figure_anchor(self.metric, self.state)

    def _fields(self, prefix):
        return {name: getattr(self, f"{prefix}_{name}") for name in FIGURE_TEXT_FIELDS}

    def changes(self):
        old = None if self.action == Action.ADD else self._fields("old")
        new = None if self.action == Action.WITHDRAW else self._fields("new")
        return field_changes(self.metric.unit, old, new)
