"""What NCMEC reports on: its programs, under the five headings of its fact sheets. What
each program counts is in metrics.py."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import Audited, PlacedLast, position_field
from .publication import PublicContent
from .revisions import PendingChange


class WorkArea(models.IntegerChoices):
    """The five headings of NCMEC's fact sheets, in the order the sheets give them."""

    EXPLOITATION = 1, "NCMEC's Work to Combat Child Sexual Exploitation"
    MISSING = 2, "NCMEC's Work to Help Locate and Recover Missing Children"
    TRAFFICKING = 3, "NCMEC's Work to Combat Child Sex Trafficking"
    SURVIVORS = (
        4,
        "NCMEC's Work to Support Survivors/Families Impacted by a Missing or Exploited Child Case",
    )
    EDUCATION = (
        5,
        "NCMEC's Education Resources for Law Enforcement and Child-Serving Professionals",
    )


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible(self, preview=False):
        """What a reader sees: published programs, or every program in a staff preview."""
        return self if preview else self.published()


class Program(PlacedLast, PublicContent, Audited):
    """One of NCMEC's programs, with the text staff write about it."""

    siblings_by = "work_area"

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(
        max_length=150, unique=True, help_text="Used in the address of the program's page."
    )
    work_area = models.PositiveSmallIntegerField(
        choices=WorkArea.choices,
        help_text="The fact-sheet heading the program is written under.",
    )
    summary = models.TextField(
        help_text="One or two sentences introducing the program on fact sheets and lists. "
        "Write no figures here: figures come from the figures table."
    )
    body = models.TextField(
        blank=True,
        help_text="Longer text for the program's own page. Blank lines start new paragraphs.",
    )
    position = position_field("its work area")
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Only published programs, and their figures, are shown to the public. "
        "Only Publishers can change this, or anything about a published program.",
    )

    objects = ProgramQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["work_area", "position", "name"]
        verbose_name_plural = "programs"
        constraints = [
            models.CheckConstraint(
                condition=Q(work_area__gte=1) & Q(work_area__lte=5), name="program_work_area_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:detail", kwargs={"slug": self.slug})

    def shown_to_public(self):
        return self.is_published

    def clean(self):
        if self.pk and not self.is_published:
            was_published = Program.objects.filter(pk=self.pk, is_published=True).exists()
            pending = PendingChange.objects.filter(metric__program=self.pk).count()
            if was_published and pending:
                raise ValidationError(
                    {
                        "is_published": f"{self.name} has {pending} pending correction(s) to "
                        "its published figures: publish or discard them (under Editions) "
                        "before taking it off the site."
                    }
                )
