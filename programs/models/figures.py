"""The figures: the value of a metric for a year and a place, public once its edition is."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .. import formatting
from ..field_meanings import FIGURE
from .base import (
    FIRST_YEAR,
    LAST_YEAR,
    YEAR_VALIDATORS,
    Audited,
    differs,
    latest_allowed_year,
)
from .editions import Edition
from .figure_queries import FigureQuerySet
from .publication import PublicContent


def figure_anchor(metric, state):
    """The id of a figure's row in a revision note: the metric key and the place's code,
    e.g. "cybertipline-reports-to-law-enforcement-MN" ("-US" for a national figure)."""
    return f"{metric.key}-{state.code if state else 'US'}"


# Said beside each qualifier menu (a figure's, a pending change's): the choices are
# choices, and this says how each reads.
QUALIFIER_HELP = (
    "How the source gives the figure. Exact: as it is. More than: the source says e.g. "
    "“more than 18,400” (enter 18400). Rounded: the source rounds it, e.g. “36.2 million” "
    "(enter 36200000)."
)


class Figure(PublicContent, Audited):
    """The value of one metric for one year and one place: a state, or the nation."""

    # In a staff preview, the change pending in this figure's place, which the page shows
    # (reader.figures.with_pending). Said here so that a template asking for it of a
    # published figure finds None at once: a missing attribute costs the template
    # engine a dir() of the model, 0.05 ms, for every figure on the page.
    pending = None

    class Qualifier(models.TextChoices):
        EXACT = formatting.EXACT, "Exact"
        MORE_THAN = formatting.MORE_THAN, "More than"
        ROUNDED = formatting.ROUNDED, "Rounded"

    # Named, not imported: a metric's rules read its figures, so metrics.py imports this.
    metric = models.ForeignKey("programs.Metric", on_delete=models.PROTECT, related_name="figures")
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS, help_text=FIGURE["year"])
    state = models.ForeignKey(
        "states.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
        help_text="Leave blank for a national figure.",
    )
    value = models.DecimalField(
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="A whole number for counts; 0 to 100 for percents.",
    )
    qualifier = models.CharField(
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        blank=True,
        help_text=QUALIFIER_HELP,
    )
    source = models.CharField(max_length=300, blank=True, help_text=FIGURE["source"])
    note = models.TextField(blank=True, help_text=FIGURE["note"])
    revision = models.ForeignKey(
        "programs.Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The last published revision that changed this figure.",
    )

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created", "updated", "updated_by"])

    class Meta:
        ordering = ["-year", "metric", "state"]
        verbose_name_plural = "figures"
        constraints = [
            # A NULL state never equals another NULL in a plain unique constraint, so the
            # national and the state figures each get a partial constraint of their own.
            models.UniqueConstraint(
                fields=["metric", "year", "state"],
                condition=Q(state__isnull=False),
                name="figure_unique_per_state",
                violation_error_message="There is already a figure for this metric, "
                "year and state.",
            ),
            models.UniqueConstraint(
                fields=["metric", "year"],
                condition=Q(state__isnull=True),
                name="figure_unique_national",
                violation_error_message="There is already a national figure for this metric "
                "and year.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="figure_value_not_negative",
                violation_error_message="A figure cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="figure_year_in_range",
                violation_error_message=f"The year must be between {FIRST_YEAR} and {LAST_YEAR}.",
            ),
            models.CheckConstraint(
                condition=Q(
                    qualifier__in=[formatting.EXACT, formatting.MORE_THAN, formatting.ROUNDED]
                ),
                name="figure_qualifier_valid",
            ),
        ]
        indexes = [
            # A metric's years (its page, the sitemap, "has this program a figure in
            # that year"): the unique constraints are partial, so cannot serve them.
            models.Index(fields=["metric", "year"], name="figure_metric_year"),
            models.Index(fields=["year", "state"], name="figure_year_state"),
            models.Index(fields=["state", "year"], name="figure_state_year"),
        ]
        permissions = [
            ("import_figure", "Can import figures from a file"),
            ("export_figure", "Can export figures to a file"),
        ]

    def __str__(self):
        return f"{self.metric} — {self.place_name}, {self.year}: {self.display_value}"

    def public_name(self):
        return f"the {self.year} figure “{self.metric.key}” for {self.place_name}"

    def before_save(self, saved):
        # Changed by hand (a draft again after an unpublish), it no longer reads as its
        # last revision note says: the "revised" mark would point at other values.
        if saved is not None and self.revision_id and differs(self, saved, exclude={"revision"}):
            self.revision = None

    def shown_to_public(self):
        """Public when its edition is published and its program too: changes are staged."""
        if not self.metric_id or not isinstance(self.year, int):
            return False
        return self.is_public_for(self.metric, self.year)

    @staticmethod
    def is_public_for(metric, year, published_years=None) -> bool:
        """Whether readers see a figure of this metric and year: the one rule, of which
        FigureQuerySet.published() is the SQL. ``published_years`` saves a query per row
        when many are asked about; without it the edition's row is read, and locked
        when inside a transaction, so that publishing cannot slip in between this
        check and the write it decides."""
        if not metric.shown_to_public():
            return False
        if published_years is not None:
            return year in published_years
        editions = Edition.objects.published().filter(year=year).values_list("pk", flat=True)
        if transaction.get_connection().in_atomic_block:
            editions = editions.select_for_update()
        return editions.first() is not None

    @property
    def place_name(self):
        return self.state.name if self.state_id else "United States"

    @property
    def revision_url(self):
        """Its last revision note, at the row about this figure ("" if never revised)."""
        if not self.revision_id:
            return ""
        url = reverse("revisions:detail", args=[self.revision_id])
        return f"{url}#{figure_anchor(self.metric, self.state if self.state_id else None)}"

    @property
    def display_value(self):
        return formatting.format_figure(self.value, self.metric.unit, self.qualifier)

    @property
    def is_one(self):
        """Exactly 1 of a count, which a sentence writes in the singular."""
        return (
            self.value == 1
            and self.qualifier == formatting.EXACT
            and self.metric.unit == formatting.COUNT
        )

    @property
    def sentence(self):
        # A sentence writes millions rounded, as NCMEC's sheets do; a metric with no
        # sentence reads "Label: value", as a table would, exactly.
        value = (
            formatting.format_for_sentence(self.value, self.metric.unit, self.qualifier)
            if self.metric.sentence
            else self.display_value
        )
        return self.metric.render_sentence(
            value=value,
            year=self.year,
            state=self.state.name if self.state_id else None,
            one=self.is_one,
        )

    @staticmethod
    def rule_errors(*, metric, state, value, year):
        """The rules a figure obeys beyond its own fields: {field: [message]}.

        Shared by clean() (the admin, commands), the file import and staged changes,
        which check 100,000 rows with it without a query per row.
        """
        errors = {}
        latest = latest_allowed_year()
        if year and year > latest:
            errors["year"] = [f"The year cannot be later than {latest}."]
        elif year and not metric.collected_in(year):
            errors["year"] = [
                f"“{metric.key}” is {metric.years_label}, so it has no figure for {year}. "
                "If it was collected then, change the metric's years first."
            ]
        if metric.is_national and state is not None:
            errors["state"] = [f"“{metric.key}” is a national metric: leave the state blank."]
        elif not metric.is_national and state is None:
            errors["state"] = [f"“{metric.key}” is a state metric: choose a state."]
        if value is not None:
            if metric.unit == formatting.PERCENT and value > 100:
                errors["value"] = ["A percent cannot be more than 100."]
            elif metric.unit == formatting.COUNT and value != value.to_integral_value():
                errors["value"] = ["A count must be a whole number."]
        return errors

    def clean(self):
        errors = {}
        if isinstance(self.year, int) and not Edition.objects.filter(year=self.year).exists():
            errors["year"] = [f"There is no {self.year} edition: add it under Editions first."]
        if not self.metric_id:
            if errors:
                raise ValidationError(errors)
            return
        try:
            value = None if self.value is None else Decimal(str(self.value))
        except (InvalidOperation, ValueError):
            value = None  # clean_fields() reports a value that is not a number
        rule_errors = self.rule_errors(
            metric=self.metric,
            state=self.state if self.state_id else None,
            value=value,
            year=self.year if isinstance(self.year, int) else None,
        )
        for name, messages in rule_errors.items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
