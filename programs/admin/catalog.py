"""Programs, and the metrics each counts (with their dated notes)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from import_export.admin import ExportMixin

from ncmec_site.preview import preview_url

from .. import resources
from ..models import Metric, MetricNote, Program, is_publisher
from .base import PublicChangeAdmin


class MetricInline(admin.TabularInline):
    model = Metric
    fields = ("key", "label", "scope", "unit", "period", "first_year", "last_year", "parent",
              "position")  # fmt: skip
    autocomplete_fields = ("parent",)
    show_change_link = True
    extra = 0


@admin.register(Program)
class ProgramAdmin(PublicChangeAdmin):
    list_display = ("name", "work_area", "position", "is_published", "public_page")
    list_filter = ("work_area", "is_published")
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created", "updated", "updated_by")
    inlines = (MetricInline,)

    def is_public(self, program):
        return program.is_published

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
            "program", "key", "label", "scope", "unit", "period", "parent", "position",
            "first_year", "last_year", "definition", "sentence", "sentence_singular",
        )  # fmt: skip

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


class ViewersMayExportMixin:
    """Export of reference lists (metrics, states) needs only the view permission."""

    def has_export_permission(self, request):
        return self.has_view_permission(request)


@admin.register(Metric)
class MetricAdmin(ViewersMayExportMixin, ExportMixin, PublicChangeAdmin):
    resource_classes = (resources.MetricResource,)
    export_formats = resources.EXPORT_FORMATS
    form = MetricAdminForm
    list_display = ("key", "label", "program", "scope", "unit", "period", "years", "parent")
    list_filter = ("scope", "unit", "period", "program")
    search_fields = ("key", "label")
    list_select_related = ("program", "parent")
    autocomplete_fields = ("program", "parent")
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
