"""What each program counts: its metrics (their dated notes are metric_notes.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Min, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .. import formatting, sentences
from ..field_meanings import METRIC
from .base import FIRST_YEAR, LAST_YEAR, YEAR_VALIDATORS, PlacedLast, position_field
from .catalog import Program
from .editions import Edition
from .figures import Figure
from .publication import PublicContent
from .revisions import PendingChange

# The reference metric whose state figures are the residents each rate per 100,000 is of.
POPULATION_KEY = "population"


class MetricQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__is_published=True)

    def visible(self, preview=False):
        """What a reader may look up: a metric of a published program with a published
        figure (one made for a year still in draft says nothing yet); in a staff
        preview, every metric of a program (reference data has no page, even there)."""
        if preview:
            return self.filter(program__isnull=False)
        return self.published()._with_published_figure()

    def in_data(self):
        """What the downloads and the API list: the visible metrics, and the reference
        data (population) with a published figure, which has no page but whose figures
        the files publish."""
        return self.filter(
            Q(program__is_published=True) | Q(program__isnull=True)
        )._with_published_figure()

    def _with_published_figure(self):
        # A scalar subquery with LIMIT 1 on the (metric, year) index, which PostgreSQL
        # runs as a probe per metric, where an EXISTS may become a join over every figure.
        published_figure = (
            Figure.objects.filter(
                metric=models.OuterRef("pk"), year__in=Edition.objects.published().values("year")
            )
            .order_by("year")
            .values("pk")[:1]
        )
        return self.alias(published_figure=models.Subquery(published_figure)).filter(
            published_figure__isnull=False
        )

    def national(self):
        return self.filter(scope=Metric.Scope.NATIONAL)

    def for_states(self):
        return self.filter(scope=Metric.Scope.STATE)

    def collected_in(self, year):
        """Metrics whose range of years includes ``year``."""
        return self.filter(
            Q(last_year__isnull=True) | Q(last_year__gte=year), first_year__lte=year
        )


class Metric(PlacedLast, PublicContent):
    """What a figure measures, under a program: e.g. CyberTipline reports per state."""

    siblings_by = "program"

    class Scope(models.TextChoices):
        NATIONAL = "national", "National"
        STATE = "state", "State"

    class Unit(models.TextChoices):
        COUNT = formatting.COUNT, "Count"
        PERCENT = formatting.PERCENT, "Percent"

    class Period(models.TextChoices):
        YEAR = "year", "For the year (a count or percent of that year alone)"
        TO_DATE = "to_date", "Running total since the program began"

    program = models.ForeignKey(
        Program,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="metrics",
        help_text="Leave blank only for reference data no program publishes, such as "
        f"population (key “{POPULATION_KEY}”): it has no page of its own, and its figures "
        "give the other metrics their rates per 100,000 residents.",
    )
    key = models.SlugField(
        max_length=100,
        unique=True,
        help_text=f"{METRIC['key']} Import files name it; it cannot change once figures use it.",
    )
    label = models.CharField(
        max_length=200, help_text=f"{METRIC['label']} E.g. “Reports to law enforcement”."
    )
    scope = models.CharField(
        max_length=8,
        choices=Scope.choices,
        help_text=METRIC["scope"],
    )
    unit = models.CharField(
        max_length=8, choices=Unit.choices, default=Unit.COUNT, help_text=METRIC["unit"]
    )
    period = models.CharField(
        "what a figure covers",
        max_length=8,
        choices=Period.choices,
        default=Period.YEAR,
        help_text=f"{METRIC['period']} A running total reads like “NCMEC has supported the "
        "identification of 27,130 children”. Percents are for the year.",
    )
    first_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS,
        help_text=f"{METRIC['first_year']} Pages show it from this year on, never as “no "
        "figure” for earlier years.",
    )
    last_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=METRIC["last_year"],
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="For a breakdown: the total this figure is a part of.",
    )
    national_total = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="state_parts",
        limit_choices_to={"scope": "national"},
        error_messages={
            "invalid": "Choose a national metric: the national total is the count "
            "for the whole country."
        },
        verbose_name="national total",
        help_text="For a state count: the national metric that counts the same thing for "
        "the whole country, e.g. reports with a user located in a state, nationwide. The "
        "checks before publishing then flag a state figure larger than the national one, "
        "and states that add up to more. Leave blank when there is none.",
    )
    breakdown = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a part, when its total is broken down more than one way: the "
        "breakdown it belongs to, e.g. “by kind of exploitation”. The parts of a total "
        "in one breakdown add up to it.",
    )
    definition = models.TextField(blank=True, help_text=METRIC["definition"])
    sentence = models.CharField(
        max_length=400,
        blank=True,
        help_text="How fact sheets write the figure. Use {year}, {value} and, for state "
        "figures, {state}: “In {year}, {value} CyberTipline reports were made available to "
        "law enforcement in {state}.” Leave blank for breakdown parts shown in a table.",
    )
    sentence_singular = models.CharField(
        "sentence for a value of 1",
        max_length=400,
        blank=True,
        help_text="The sentence when the figure is exactly 1, e.g. “In {year}, Team Adam was "
        "activated on {value} incident…”. Leave blank if the sentence above reads right for 1.",
    )
    headline = models.BooleanField(
        "headline figure",
        default=True,
        help_text="Shown on the state fact sheets (a national metric as their national "
        "context) and the home page. Untick for detail that belongs on the program's and "
        "the metric's own pages, such as the parts of a breakdown.",
    )
    position = position_field("its program")

    objects = MetricQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program__work_area", "program__position", "position", "key"]
        verbose_name_plural = "metrics"
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["national", "state"]), name="metric_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit__in=[formatting.COUNT, formatting.PERCENT]),
                name="metric_unit_valid",
            ),
            models.CheckConstraint(
                condition=Q(period__in=["year", "to_date"])
                & ~Q(period="to_date", unit=formatting.PERCENT),
                name="metric_period_valid",
                violation_error_message="A percent is for its year: it cannot be a running total.",
            ),
            models.CheckConstraint(
                condition=Q(first_year__gte=FIRST_YEAR) & Q(first_year__lte=LAST_YEAR),
                name="metric_first_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="metric_years_in_order",
                violation_error_message="The last year cannot be before the first year.",
            ),
        ]

    def __str__(self):
        return self.label

    def shown_to_public(self):
        return self.program_id is None or self.program.is_published

    def get_absolute_url(self):
        return reverse("metrics:detail", kwargs={"key": self.key})

    @property
    def is_national(self):
        return self.scope == self.Scope.NATIONAL

    @property
    def is_reference(self):
        """Reference data no program publishes (population): no page of its own."""
        return self.program_id is None

    @property
    def has_rate(self):
        """Whether its state figures are also given per 100,000 residents: a program's
        state count for the year (never a percent, nor a running total)."""
        return (
            not self.is_reference
            and not self.is_national
            and self.unit == self.Unit.COUNT
            and self.period == self.Period.YEAR
        )

    def collected_in(self, year) -> bool:
        """Whether the metric is collected in ``year`` (pages show it only then)."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    @property
    def years_label(self):
        if self.last_year is None:
            return f"collected from {self.first_year}"
        return f"collected {self.first_year}–{self.last_year}"

    @property
    def change_kind(self):
        """How a figure compares with the year before: "count" (a difference and a percent),
        "points" (percentage points), or None (a running total: no like-for-like change)."""
        if self.period == self.Period.TO_DATE:
            return None
        return "points" if self.unit == self.Unit.PERCENT else "count"

    def clean(self):
        errors = {}
        allowed = {"year", "value"} | (set() if self.is_national else {"state"})
        for name in ("sentence", "sentence_singular"):
            template = getattr(self, name)
            if not template:
                continue
            try:
                used = set(sentences.placeholders(template))
            except ValueError as error:
                errors[name] = str(error)
                continue
            if not used <= allowed:
                errors[name] = "A national metric's sentence has no {state}: use only {year} " \
                    "and {value}."  # fmt: skip
            elif "value" not in used:
                errors[name] = "The sentence must contain {value}."
        if self.sentence_singular and not self.sentence:
            errors["sentence_singular"] = "Write the sentence above first."
        if self.breakdown and not self.parent_id:
            errors["breakdown"] = "Only a part belongs to a breakdown: choose its total first."
        if not self.program_id and self.parent_id:
            errors["parent"] = "Reference data has no breakdown: choose a program first."
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = "A metric cannot be a part of itself."
            elif self.parent.parent_id:
                errors["parent"] = "Breakdowns have one level: choose a total, not a part."
            elif self.parent.scope != self.scope or self.parent.unit != self.unit:
                errors["parent"] = "A part must have the same scope and unit as its total."
            elif self.program_id and self.parent.program_id != self.program_id:
                errors["parent"] = "A part must be under the same program as its total."
        if self.national_total_id:
            errors.update(self._national_total_errors())
        if self.label:
            errors.update(self._shared_label_errors())
        if self.pk:
            errors.update(self._used_by_figures_errors())
        if errors:
            raise ValidationError(errors)

    def _national_total_errors(self):
        total = self.national_total
        if self.is_national:
            problem = "Only a state metric has a national total: leave it blank."
        elif self.unit != self.Unit.COUNT or total.unit != self.Unit.COUNT:
            # A state's percent may well be above the nation's: nothing to check.
            problem = "Only counts have a national total, which the states' counts are part of."
        else:
            return {}
        return {"national_total": problem}

    def _shared_label_errors(self):
        """No two metrics share a label (in any case): the compare page, tables, search
        and the downloads name a metric by it, national and state side by side. A rule
        here, not a database constraint, so that no migration renames staff's metrics."""
        other = Metric.objects.filter(label__iexact=self.label).exclude(pk=self.pk).first()
        if other is None:
            return {}
        return {
            "label": f"“{other.label}” is already the label of the {other.scope} metric "
            f"“{other.key}”: readers could not tell the two apart where both are shown. "
            "Say what differs, e.g. “… nationwide” or “… in the state”."
        }

    def _used_by_figures_errors(self):
        """Rules that hold once figures exist: a fixed key, years that cover the figures."""
        errors = {}
        saved = Metric.objects.filter(pk=self.pk).values("key", "scope", "unit").first()
        used = Figure.objects.filter(metric=self.pk)
        if saved is not None and used.exists():
            count = used.count()
            if saved["key"] != self.key:
                errors["key"] = (
                    f"“{saved['key']}” is used by {count:,} figure(s): import files, "
                    "downloads and the API name the metric by it, so it cannot change."
                )
            # A national figure under a state metric, or a count read as a percent, would
            # vanish from the pages or read wrongly.
            for name in ("scope", "unit"):
                if saved[name] != getattr(self, name):
                    errors[name] = (
                        f"{count:,} figure(s) are recorded as “{saved[name]}”: the "
                        f"{name} cannot change while they exist. Add a new metric instead."
                    )
        span = used.aggregate(first=Min("year"), last=Max("year"))
        pending = PendingChange.objects.filter(metric=self.pk).aggregate(
            first=Min("year"), last=Max("year")
        )
        years = [y for y in (*span.values(), *pending.values()) if y is not None]
        if years and isinstance(self.first_year, int) and self.first_year > min(years):
            errors["first_year"] = (
                f"There are figures for {min(years)}: the first year cannot be after it."
            )
        if years and isinstance(self.last_year, int) and self.last_year < max(years):
            errors["last_year"] = (
                f"There are figures for {max(years)}: the last year cannot be before it."
            )
        return errors

    def render_sentence(self, *, value, year, state=None, one=False):
        """The fact-sheet sentence with the figure filled in (plain text, escaped on output).

        ``one`` picks the singular sentence, when there is one, for a value of exactly 1.
        """
        template = (self.sentence_singular if one else "") or self.sentence
        if not template:
            return f"{self.label}: {value}"
        try:
            return sentences.render(template, year=year, value=value, state=state or "")
        except ValueError:
            # A sentence saved before validation existed must not break a public page.
            return f"{self.label}: {value}"
