"""Programs, and the metrics each counts (with their dated notes)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ExportMixin

from ncmec_site.preview import preview_url

from .. import resources
from ..models import Metric, MetricNote, Program, is_publisher
from ..publishing import plural
from .base import PublicChangeAdmin

# A metric readers see (a headline figure, on fact sheets and the home page) needs both:
# without a definition its page explains nothing, without a sentence a fact sheet reads
# a bare "Label: 124,502". Reference data (no program) and breakdown parts need neither.
INCOMPLETE = Q(program__isnull=False, headline=True) & (Q(definition="") | Q(sentence=""))


def small_text(columns=15, rows=4):
    return forms.Textarea(attrs={"rows": rows, "cols": columns})


class MetricInlineForm(forms.ModelForm):
    """A metric in its program's form, in a row that fits 1280 px, with the definition and
    the sentence readers need. Its last year and its breakdown (a part's total) are set
    on its own page ("Change")."""

    period = forms.ChoiceField(
        label="covers",
        choices=((Metric.Period.YEAR, "The year"), (Metric.Period.TO_DATE, "Running total")),
        initial=Metric.Period.YEAR,
        help_text="The year alone, or a running total since the program began.",
    )

    class Meta:
        model = Metric
        fields = ("key", "label", "scope", "unit", "period", "first_year", "definition",
                  "sentence", "position")  # fmt: skip
        labels = {"first_year": "from", "position": "order"}
        widgets = {
            "key": forms.TextInput(attrs={"size": 13}),
            "label": small_text(14, rows=3),
            "definition": small_text(),
            "sentence": small_text(),
        }


class MetricInline(admin.TabularInline):
    model = Metric
    form = MetricInlineForm
    fields = MetricInlineForm.Meta.fields
    show_change_link = True
    extra = 0


def incomplete_metrics_of(program):
    return list(program.metrics.filter(INCOMPLETE).order_by("position", "key"))


def metric_gaps(metric):
    """What a metric readers see lacks: "no definition", "no sentence", or both."""
    gaps = [f"no {name}" for name in ("definition", "sentence") if not getattr(metric, name)]
    return " and ".join(gaps)


def incomplete_metrics_html(metrics):
    """Says which metrics readers see without a definition or a sentence, each a link to
    its form and what it lacks."""
    one = len(metrics) == 1
    return format_html(
        "{} that readers see {} a definition or a sentence: complete {}, so that fact "
        "sheets write a sentence, not a bare “Label: value”, and the metric's page says "
        "what it counts.<ul>{}</ul>",
        plural(len(metrics), "metric"),
        "lacks" if one else "lack",
        "it" if one else "them",
        format_html_join(
            "",
            '<li><a href="{}">{}</a> ({}): {}</li>',
            (
                (
                    reverse("admin:programs_metric_change", args=[m.pk]),
                    m.label,
                    m.key,
                    metric_gaps(m),
                )
                for m in metrics
            ),
        ),  # fmt: skip
    )


@admin.register(Program)
class ProgramAdmin(PublicChangeAdmin):
    list_display = ("name", "work_area", "position", "is_published", "public_page")
    list_filter = ("work_area", "is_published")
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("incomplete_metrics", "created", "updated", "updated_by")
    inlines = (MetricInline,)

    def is_public(self, program):
        return program.is_published

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "incomplete_metrics"]
        # First on a program's page, where staff look: what its fact sheets lack.
        return fields if obj is None else ["incomplete_metrics", *fields]

    @admin.display(description="metrics to complete")
    def incomplete_metrics(self, program):
        metrics = incomplete_metrics_of(program)
        if not metrics:
            return "Every one of its headline metrics has a definition and a sentence."
        return incomplete_metrics_html(metrics)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Said after the save too: "Save" leads to the list, away from the field above.
        metrics = incomplete_metrics_of(form.instance)
        if metrics:
            self.message_user(request, incomplete_metrics_html(metrics), messages.WARNING)

    @admin.display(description="public page")
    def public_page(self, program):
        url = program.get_absolute_url()
        if not program.is_published:
            return format_html('Not published (<a href="{}">preview</a>)', preview_url(url))
        return format_html('<a href="{}">{}</a> (<a href="{}">preview</a>)', url, url,
                           preview_url(url))  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Putting a program in front of the public is publishing: Publishers only.
        if not is_publisher(request.user):
            fields = (*fields, "is_published")
        return fields

    def view_on_site(self, program):
        # An unpublished program's page is a 404: no "View on site" button for it.
        return program.get_absolute_url() if program.is_published else None


class MetricNoteInline(admin.TabularInline):
    model = MetricNote
    fields = ("first_year", "last_year", "text")
    extra = 0


class MetricAdminForm(forms.ModelForm):
    """Refuses, with a sentence, a metric that an Editor puts under a published program."""

    user = None  # set per request by MetricAdmin.get_form

    class Meta:
        model = Metric
        fields = (
            "program", "key", "label", "scope", "unit", "period", "parent", "national_total",
            "position",
            "first_year", "last_year", "definition", "sentence", "sentence_singular",
        )  # fmt: skip
        error_messages = {
            # The choice offered is a national metric: the model's own sentence, where the
            # form would say "Select a valid choice" of any other.
            "national_total": {"invalid_choice": Metric._meta.get_field(
                "national_total").error_messages["invalid"]},
        }  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program")
        if program is not None and program.is_published and not is_publisher(self.user):
            self.add_error(
                "program",
                f"“{program}” is published: only Publishers can add or move metrics under "
                "it. Add the metric under an unpublished program, or ask a Publisher.",
            )
        return cleaned


class CompletenessListFilter(admin.SimpleListFilter):
    title = "definition and sentence"
    parameter_name = "complete"

    def lookups(self, request, model_admin):
        return (
            ("no", "Incomplete: a headline metric without a definition or a sentence"),
            ("yes", "Complete"),
        )

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(INCOMPLETE)
        if self.value() == "yes":
            return queryset.exclude(INCOMPLETE)
        return queryset


class ViewersMayExportMixin:
    """Export of reference lists (metrics, states) needs only the view permission."""

    def has_export_permission(self, request):
        return self.has_view_permission(request)


@admin.register(Metric)
class MetricAdmin(ViewersMayExportMixin, ExportMixin, PublicChangeAdmin):
    resource_classes = (resources.MetricResource,)
    export_formats = resources.EXPORT_FORMATS
    form = MetricAdminForm
    # Program and parent as text, which wraps: the admin keeps a foreign key on one line.
    list_display = ("key", "label", "program_name", "scope", "unit", "covers", "years",
                    "parent_label")  # fmt: skip
    list_filter = (CompletenessListFilter, "scope", "unit", "period", "program")
    search_fields = ("key", "label")
    list_select_related = ("program", "parent")
    autocomplete_fields = ("program", "parent", "national_total")
    inlines = (MetricNoteInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "program",
                    "key",
                    "label",
                    "scope",
                    "unit",
                    "period",
                    "parent",
                    "breakdown",
                    "national_total",
                    "headline",
                    "position",
                )
            },
        ),  # fmt: skip
        ("Years", {"fields": ("first_year", "last_year")}),
        ("For readers", {"fields": ("definition", "sentence", "sentence_singular")}),
    )

    def is_public(self, metric):
        return metric.shown_to_public()

    def view_on_site(self, metric):
        # Reference data (population) has no page: no "View on site" button for it.
        return None if metric.is_reference else metric.get_absolute_url()

    @admin.display(description="program", ordering="program__name")
    def program_name(self, metric):
        return metric.program.name if metric.program_id else "-"

    @admin.display(description="part of", ordering="parent__label")
    def parent_label(self, metric):
        return metric.parent.label if metric.parent_id else "-"

    @admin.display(description="covers", ordering="period")
    def covers(self, metric):
        # The period's label explains itself on the form; a list column has room for less.
        return "running total" if metric.period == Metric.Period.TO_DATE else "the year"

    @admin.display(description="years", ordering="first_year")
    def years(self, metric):
        return f"{metric.first_year}–{metric.last_year or ''}"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Import files, downloads and the API name a metric by its key; its figures are
        # recorded in its scope and unit.
        if obj is not None and obj.figures.exists():
            fields = (*fields, "key", "scope", "unit")
        return fields
