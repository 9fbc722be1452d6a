from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from . import jurisdictions, naming
from .field_meanings import STATE


class StateQuerySet(models.QuerySet):
    def lookup(self, value):
        """The state named by a USPS code, a full name or a slug, in any case; or None.
        One query (of the 56 rows: naming.find_state compares the names, the same way
        wherever a state is named), none for a text that can name no state."""
        return naming.find_state(value, self)


class State(models.Model):
    """A state, the District of Columbia or a US territory: a place figures are kept for."""

    class Kind(models.TextChoices):
        STATE = jurisdictions.STATE, "State"
        DISTRICT = jurisdictions.DISTRICT, "Federal district"
        TERRITORY = jurisdictions.TERRITORY, "Territory"

    name = models.CharField(max_length=100, unique=True, help_text=STATE["name"])
    code = models.CharField(
        "USPS code",
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters, e.g. MN.")],
        help_text=f"{STATE['code']} Import files may use it.",
    )
    fips_code = models.CharField(
        "FIPS code",
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{2}$", "Two digits, e.g. 27.")],
        help_text=STATE["fips_code"],
    )
    slug = models.SlugField(max_length=100, unique=True, help_text=STATE["slug"])
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.STATE, help_text=STATE["kind"]
    )

    objects = StateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "state or territory"
        verbose_name_plural = "states and territories"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[jurisdictions.STATE, jurisdictions.DISTRICT, jurisdictions.TERRITORY]
                ),
                name="state_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("states:detail", kwargs={"slug": self.slug})
