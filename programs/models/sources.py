"""Where figures come from: each source a figure names, with its address and credit."""

from django.db import models
from simple_history.models import HistoricalRecords

from .publication import PublicContent


class SourceQuerySet(models.QuerySet):
    def named(self, titles):
        """The sources of these titles (figures' ``source``), in alphabetical order
        (ignoring case); a title no source row describes is given as a bare source
        with that title."""
        titles = sorted({title for title in titles if title}, key=str.casefold)
        known = {source.title: source for source in self.filter(title__in=titles)}
        return [known.get(title) or Source(title=title) for title in titles]


class Source(PublicContent):
    """A document figures are taken from, as NCMEC names it: a figure's ``source`` is
    its title, and pages list the sources of the figures they show with these details."""

    title = models.CharField(
        max_length=300,
        unique=True,
        help_text="The source as figures name it (their “source” column), e.g. “NCMEC, "
        "2023 CyberTipline Reports by State”.",
    )
    url = models.URLField(
        "address", max_length=500, blank=True, help_text="Where readers can find it, if online."
    )
    credit = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who compiled the table, when not the source itself, as they ask to be "
        "credited, e.g. “Compiled by Robert Grimm, diaphanous, CC BY 4.0”.",
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def shown_to_public(self):
        # Listed beside any published figure that names it: Publishers change it.
        return True
