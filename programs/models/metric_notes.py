"""Notes that say how a metric's counting changed over the years, shown with its figures
of those years."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .base import YEAR_VALIDATORS
from .metrics import Metric
from .publication import PublicContent


class MetricNote(PublicContent):
    """A dated note on a metric, shown with its figures of those years: e.g. “From 2023,
    reports are counted by the state of the suspect, not of the reporting platform.”"""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="notes")
    first_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS, help_text="The first year the note applies to."
    )
    last_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="The last year it applies to; blank for every year since.",
    )
    text = models.TextField(help_text="One or two sentences for readers.")

    history = HistoricalRecords()

    class Meta:
        # By the metric's id, not its own ordering: that would join the metrics and
        # programs to every prefetch of notes, which pages order themselves.
        ordering = ["metric_id", "first_year", "pk"]
        verbose_name = "note on a metric"
        verbose_name_plural = "notes on metrics"
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="metric_note_years_in_order",
                violation_error_message="The last year cannot be before the first year.",
            ),
        ]

    def __str__(self):
        return f"{self.metric.key}, {self.years_label}"

    @property
    def years_label(self):
        if self.last_year is None:
            return f"from {self.first_year}"
        if self.last_year == self.first_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def applies_to(self, year) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def shown_to_public(self):
        return self.metric.shown_to_public()
