import datetime
import string
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import formatting

# NCMEC was founded in 1984: no figure can be older. The upper bound is a
# database backstop; clean() holds the tighter "not after next year" rule.
FIRST_YEAR = 1984
LAST_YEAR = 2100


def latest_allowed_year():
    """Figures may be entered for next year at the latest (a year is reported once done)."""
    return datetime.date.today().year + 1


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


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Edition.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Edition.Status.DRAFT)

    def due(self, now=None):
        """Drafts whose scheduled publication time has come."""
        return self.drafts().filter(publish_at__lte=now or timezone.now())


class Edition(Audited):
    """A reporting year's figures, as a whole: a draft until published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
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

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible(self, preview=False):
        """What a reader sees: published programs, or every program in a staff preview."""
        return self if preview else self.published()


class Program(Audited):
    """One of NCMEC's programs, with the text staff write about it."""

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
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order within its work area: lower comes first."
    )
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Only published programs, and their figures, are shown to the public.",
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


class MetricQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__is_published=True)

    def national(self):
        return self.filter(scope=Metric.Scope.NATIONAL)

    def for_states(self):
        return self.filter(scope=Metric.Scope.STATE)


SENTENCE_FIELDS = {"year", "value", "state"}


class Metric(models.Model):
    """What a figure measures, under a program: e.g. CyberTipline reports per state."""

    class Scope(models.TextChoices):
        NATIONAL = "national", "National"
        STATE = "state", "State"

    class Unit(models.TextChoices):
        COUNT = formatting.COUNT, "Count"
        PERCENT = formatting.PERCENT, "Percent"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="metrics")
    key = models.SlugField(
        max_length=100,
        unique=True,
        help_text="A stable name used by import files and downloads. Do not change it "
        "once figures have been published.",
    )
    label = models.CharField(
        max_length=200, help_text="A short name for tables, e.g. “Reports to law enforcement”."
    )
    scope = models.CharField(
        max_length=8,
        choices=Scope.choices,
        help_text="National figures are one per year; state figures are one per state per year.",
    )
    unit = models.CharField(max_length=8, choices=Unit.choices, default=Unit.COUNT)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="For a breakdown: the total this figure is a part of.",
    )
    definition = models.TextField(blank=True, help_text="What is counted, for readers.")
    sentence = models.CharField(
        max_length=400,
        blank=True,
        help_text="How fact sheets write the figure. Use {year}, {value} and, for state "
        "figures, {state}: “In {year}, {value} CyberTipline reports were made available to "
        "law enforcement in {state}.” Leave blank for breakdown parts shown in a table.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order within its program: lower comes first."
    )

    objects = MetricQuerySet.as_manager()

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
        ]

    def __str__(self):
        return self.label

    @property
    def is_national(self):
        return self.scope == self.Scope.NATIONAL

    def clean(self):
        errors = {}
        if self.sentence:
            try:
                names = {name for _, name, _, _ in string.Formatter().parse(self.sentence) if name}
            except ValueError:
                names = None
            allowed = SENTENCE_FIELDS - ({"state"} if self.is_national else set())
            if names is None or not names <= allowed:
                errors["sentence"] = "Use only {year}, {value}%s in braces." % (
                    "" if self.is_national else " and {state}"
                )
            elif "value" not in names:
                errors["sentence"] = "The sentence must contain {value}."
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = "A metric cannot be a part of itself."
            elif self.parent.parent_id:
                errors["parent"] = "Breakdowns have one level: choose a total, not a part."
            elif self.parent.scope != self.scope or self.parent.unit != self.unit:
                errors["parent"] = "A part must have the same scope and unit as its total."
        if errors:
            raise ValidationError(errors)

    def render_sentence(self, *, value, year, state=None):
        """The fact-sheet sentence with the figure filled in (plain text, escaped on output)."""
        if not self.sentence:
            return f"{self.label}: {value}"
        try:
            return self.sentence.format(year=year, value=value, state=state or "")
        except (KeyError, IndexError, ValueError):
            # A sentence saved before validation existed must not break a public page.
            return f"{self.label}: {value}"


class FigureQuerySet(models.QuerySet):
    def published(self):
        """Figures the public may see: of a published program, in a published edition."""
        return self.filter(
            metric__program__is_published=True,
            year__in=Edition.objects.published().values("year"),
        )

    def visible(self, preview=False):
        """What a reader sees: published figures, or every figure in a staff preview."""
        return self if preview else self.published()

    def for_year(self, year):
        return self.filter(year=year)

    def for_state(self, state):
        return self.filter(state=state)

    def for_fact_sheet(self, state):
        """A state's figures with the national ones that give them context."""
        return self.filter(Q(state=state) | Q(state__isnull=True)).select_related("state")

    def national(self):
        return self.filter(state__isnull=True)

    def for_states(self):
        return self.filter(state__isnull=False)

    def for_program(self, program):
        return self.filter(metric__program=program)

    def with_related(self):
        return self.select_related("metric__program", "state")

    def years(self):
        """The years that have figures, newest first, as a list of ints."""
        return list(self.order_by("-year").values_list("year", flat=True).distinct())

    def latest_year(self):
        return self.aggregate(latest=models.Max("year"))["latest"]

    def breakdown_mismatches(self):
        """Totals whose parts do not add up: [(total figure, sum of its parts)], two queries."""
        sums = {
            (row["metric__parent"], row["year"], row["state"]): row["parts"]
            for row in self.filter(metric__parent__isnull=False)
            .order_by()
            .values("metric__parent", "year", "state")
            .annotate(parts=Sum("value"))
        }
        if not sums:
            return []
        # A total given as "more than" or rounded cannot be checked against its parts.
        totals = self.filter(
            metric_id__in={key[0] for key in sums}, qualifier=formatting.EXACT
        ).with_related()
        return [
            (total, sums[(total.metric_id, total.year, total.state_id)])
            for total in totals
            if (total.metric_id, total.year, total.state_id) in sums
            and sums[(total.metric_id, total.year, total.state_id)] != total.value
        ]


class Figure(Audited):
    """The value of one metric for one year and one place: a state, or the nation."""

    class Qualifier(models.TextChoices):
        EXACT = formatting.EXACT, "Exact"
        MORE_THAN = formatting.MORE_THAN, "More than (“more than 18,400”)"
        ROUNDED = formatting.ROUNDED, "Rounded (“36.2 million”)"

    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="figures")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text="The reporting year the figure covers.",
    )
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
    source = models.CharField(max_length=300, blank=True, help_text="Where the figure comes from.")
    note = models.TextField(blank=True, help_text="Anything readers should know about it.")

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
        indexes = [models.Index(fields=["year", "state"], name="figure_year_state")]
        permissions = [
            ("import_figure", "Can import figures from a file"),
            ("export_figure", "Can export figures to a file"),
        ]

    def __str__(self):
        return f"{self.metric} — {self.place_name}, {self.year}: {self.display_value}"

    @property
    def place_name(self):
        return self.state.name if self.state_id else "United States"

    @property
    def display_value(self):
        return formatting.format_figure(self.value, self.metric.unit, self.qualifier)

    @property
    def sentence(self):
        return self.metric.render_sentence(
            value=self.display_value,
            year=self.year,
            state=self.state.name if self.state_id else None,
        )

    @staticmethod
    def rule_errors(*, metric, state, value, year):
        """The rules a figure obeys beyond its own fields: {field: [message]}.

        Shared by clean() (the admin, commands) and the file import, which checks
        100,000 rows with it without a query per row.
        """
        errors = {}
        latest = latest_allowed_year()
        if year and year > latest:
            errors["year"] = [f"The year cannot be later than {latest}."]
        if metric.is_national and state is not None:
            errors["state"] = [f"“{metric.key}” is a national metric: leave the state blank."]
        elif not metric.is_national and state is None:
            errors["state"] = [f"“{metric.key}” is a state metric: choose a state."]
        if value is not None:
            if metric.unit == Metric.Unit.PERCENT and value > 100:
                errors["value"] = ["A percent cannot be more than 100."]
            elif metric.unit == Metric.Unit.COUNT and value != value.to_integral_value():
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
