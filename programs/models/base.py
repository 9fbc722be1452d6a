"""What every model of the app shares: the range of years, and who changed a row when."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

# NCMEC was founded in 1984: no figure can be older. The upper bound is a
# database backstop; clean() holds the tighter "not after next year" rule.
FIRST_YEAR = 1984
LAST_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]

# Columns that record a write rather than say anything readers see.
BOOKKEEPING_FIELDS = {"created", "updated", "updated_by"}


def latest_allowed_year():
    """Figures may be entered for next year at the latest (a year is reported once done),
    by the site's own calendar (New York's, as every date)."""
    return timezone.localdate().year + 1


class Audited(models.Model):
    """When a row was created and last changed, and by whom."""

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


def differs(obj, saved, exclude=()):
    """True if ``obj`` has a concrete field whose value differs from the ``saved`` row."""
    skip = BOOKKEEPING_FIELDS | set(exclude)
    return any(
        getattr(obj, field.attname) != getattr(saved, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in skip
    )


def position_field(within: str):
    """The order of a row among its siblings (``within`` says whose: "its program")."""
    return models.PositiveSmallIntegerField(
        blank=True,
        help_text=f"Order within {within}: lower comes first. Leave blank to put it last.",
    )


class PlacedLast(models.Model):
    """A row with a ``position_field()``: left blank, its position is the one after its
    siblings', assigned as it is saved, whichever path saves it (a form, an inline, a
    command, code), so that a new program or metric never jumps ahead of the others."""

    siblings_by = ""  # the field whose value the siblings share, e.g. "program"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.position is None:
            self.position = self.last_position() + 1
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if self.position is None:  # blank is allowed: save() fills it in
            exclude = {*(exclude or ()), "position"}
        super().clean_fields(exclude=exclude)

    def last_position(self) -> int:
        """The highest position among its siblings (0 if it has none)."""
        field = self._meta.get_field(self.siblings_by)
        siblings = type(self)._base_manager.filter(**{field.attname: getattr(self, field.attname)})
        if self.pk is not None:
            siblings = siblings.exclude(pk=self.pk)
        return siblings.aggregate(last=models.Max("position"))["last"] or 0
