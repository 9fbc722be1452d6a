"""The figures: the value of a metric for a year and a place, public once its edition is."""

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q, Sum
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
from .publication import PublicContent


def figure_anchor(metric, state):
    """The id of a figure's row in a revision note: the metric key and the place's code,
    e.g. "cybertipline-reports-to-law-enforcement-MN" ("-US" for a national figure)."""
    return f"{metric.key}-{state.code if state else 'US'}"


class PlaceYearQuerySet(models.QuerySet):
    """Verbs shared by figures and the changes staged to them: both have a metric, a year
    and a place (a state, or the nation when the state is blank)."""

    def for_year(self, year):
        return self.filter(year=year)

    def for_state(self, state):
        return self.filter(state=state)

    def between_years(self, first, last):
        """The figures of ``first`` to ``last``, both included."""
        return self.filter(year__gte=first, year__lte=last)

    def for_fact_sheet(self, state):
        """A state's figures with the national ones that give them context."""
        return self.filter(Q(state=state) | Q(state__isnull=True)).select_related("state")

    def national(self):
        return self.filter(state__isnull=True)

    def for_states(self):
        return self.filter(state__isnull=False)

    def for_program(self, program):
        return self.filter(metric__program=program)


class FigureQuerySet(PlaceYearQuerySet):
    def published(self):
        """Figures the public may see: of a published program, in a published edition."""
        return self.filter(
            Q(metric__program__is_published=True) | Q(metric__program__isnull=True),
            year__in=Edition.objects.published().values("year"),
        )

    def visible(self, preview=False):
        """What a reader sees: published figures, or every figure in a staff preview."""
        return self if preview else self.published()

    def with_related(self):
        return self.select_related("metric__program", "state")

    def for_pages(self):
        """What a page shows of each figure, with its place and its revision's date, in
        no order (pages index them): no audit columns, and no ordering that joins the
        metrics and programs."""
        return (
            self.select_related("revision", "state")
            .only(
                "metric",
                "year",
                "state",
                "value",
                "qualifier",
                "source",
                "note",
                "revision__published_at",
            )  # fmt: skip
            .order_by()
        )

    def _year_probe(self, **place):
        """One of these figures in the edition's year (and ``place``), or NULL: a scalar
        subquery with LIMIT 1, which PostgreSQL runs as an index probe per edition
        (where an EXISTS may become a join over every figure). Ordered by the second
        column of the (year, state) index, so that the planner reads that index rather
        than scan the table hoping to meet the year early."""
        probe = self.filter(year=models.OuterRef("year"), **place).order_by("state_id")
        return models.Subquery(probe.values("pk")[:1])

    def years(self):
        """The years that have figures, newest first, as a list of ints: read from the
        editions, each probed for a figure, so the cost does not grow with the figures
        (a figure always has its year's edition)."""
        return list(
            Edition.objects.annotate(probe=self._year_probe())
            .filter(probe__isnull=False)
            .order_by("-year")
            .values_list("year", flat=True)
        )

    def years_with_place(self, state):
        """(every year with figures, the years with a figure for ``state``), newest
        first: one query over the editions, two index probes each."""
        return self._years_and_years_with(state=state)

    def years_with_state_figures(self):
        """(every year with figures, the years with a figure of a program's metric for
        some state: the years a map can show), newest first, as ``years_with_place``."""
        return self._years_and_years_with(state__isnull=False, metric__program__isnull=False)

    def _years_and_years_with(self, **place):
        rows = (
            Edition.objects.annotate(probe=self._year_probe(), here=self._year_probe(**place))
            .filter(probe__isnull=False)
            .order_by("-year")
            .values_list("year", "here")
        )
        rows = list(rows)
        return [year for year, _ in rows], [year for year, here in rows if here is not None]

    def series_for(self, metrics):
        """Every year of these metrics' figures, light: (metric id, state id, year, value,
        qualifier, source) tuples. Chain a place first (``for_fact_sheet``, ``national``)."""
        return (
            self.filter(metric__in=metrics)
            .order_by()
            .values_list("metric_id", "state_id", "year", "value", "qualifier", "source")
        )

    def state_values_for(self, metrics, year):
        """The year's state figures of these metrics, as (metric id, state id, value)
        tuples: what ranking the states needs and nothing more."""
        return (
            self.for_year(year)
            .for_states()
            .filter(metric__in=metrics)
            .order_by()
            .values_list("metric_id", "state_id", "value")
        )

    def breakdown_mismatches(self):
        """[(total figure, breakdown, sum of its parts)] where a breakdown's parts do not
        add up to their total, two queries: each breakdown ("" for a total's only one) on
        its own, as parts by kind and by place each add up to the total."""
        sums = defaultdict(dict)  # (total, year, state): {breakdown: sum of its parts}
        rows = self.filter(metric__parent__isnull=False).order_by()
        rows = rows.values("metric__parent", "metric__breakdown", "year", "state")
        for row in rows.annotate(parts=Sum("value")):
            key = (row["metric__parent"], row["year"], row["state"])
            sums[key][row["metric__breakdown"]] = row["parts"]
        if not sums:
            return []
        # A total given as "more than" or rounded cannot be checked against its parts.
        totals = self.filter(
            metric_id__in={key[0] for key in sums}, qualifier=formatting.EXACT
        ).with_related()
        return [
            (total, breakdown, parts)
            for total in totals
            for breakdown, parts in sorted(
                sums[total.metric_id, total.year, total.state_id].items()
            )
            if parts != total.value
        ]


class Figure(PublicContent, Audited):
    """The value of one metric for one year and one place: a state, or the nation."""

    # In a staff preview, the change pending in this figure's place, which the page shows
    # (reader.figures.with_pending). Said here so that a template asking for it of a
    # published figure finds None at once: a missing attribute costs the template
    # engine a dir() of the model, 0.05 ms, for every figure on the page.
    pending = None

    class Qualifier(models.TextChoices):
        EXACT = formatting.EXACT, "Exact"
        MORE_THAN = formatting.MORE_THAN, "More than (“more than 18,400”)"
        ROUNDED = formatting.ROUNDED, "Rounded (“36.2 million”)"

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
        help_text="How the source gives the figure, if not exactly.",
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
        return self.metric.render_sentence(
            value=formatting.format_for_sentence(self.value, self.metric.unit, self.qualifier),
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
