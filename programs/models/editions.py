"""Editions: a reporting year's figures as a whole, a draft until published."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .base import FIRST_YEAR, LAST_YEAR, YEAR_VALIDATORS, Audited
from .publication import PublicContent


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Edition.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Edition.Status.DRAFT)

    def due(self, now=None):
        """Drafts whose scheduled publication time has come."""
        return self.drafts().filter(publish_at__lte=now or timezone.now())


class Edition(PublicContent, Audited):
    """A reporting year's figures, as a whole: a draft until published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    year = models.PositiveSmallIntegerField(
        unique=True,
        validators=YEAR_VALIDATORS,
        help_text="The reporting year. Its figures are public only once it is published.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        "published", null=True, blank=True, editable=False, help_text="When it was published."
    )
    publish_at = models.DateTimeField(
        "scheduled for",
        null=True,
        blank=True,
        help_text="Publish automatically at this date and time (the publish_due_editions "
        "command, run by cron, does it). Leave blank to publish by hand.",
    )

    objects = EditionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = "editions"
        permissions = [("publish_edition", "Can publish and unpublish editions")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="edition_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="edition_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="edition_year_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.year} ({self.get_status_display().lower()})"

    def public_name(self):
        return f"the {self.year} edition"

    def shown_to_public(self):
        return self.is_published

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED
