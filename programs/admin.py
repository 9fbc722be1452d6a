from django.contrib import admin, messages
from django.contrib.admin.views.main import IS_POPUP_VAR
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ExportForm

from . import formatting, resources
from .importing import ImportFileError
from .models import Figure, Metric, Program


class UpdatedByMixin:
    """Records on an Audited row which staff member saved it last."""

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class MetricInline(admin.TabularInline):
    model = Metric
    fields = ("key", "label", "scope", "unit", "parent", "position")
    autocomplete_fields = ("parent",)
    show_change_link = True
    extra = 0


@admin.register(Program)
class ProgramAdmin(UpdatedByMixin, admin.ModelAdmin):
    list_display = ("name", "work_area", "position", "is_published", "public_page")
    # Publishing puts a program and all its figures on the public site, so it is done on
    # the program's own page rather than by a tick in the list.
    list_editable = ("position",)
    list_filter = ("work_area", "is_published")
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created", "updated", "updated_by")
    inlines = (MetricInline,)

    @admin.display(description="public page")
    def public_page(self, program):
        if not program.is_published:
            return "Not published"
        url = program.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    def view_on_site(self, program):
        # An unpublished program's page is a 404: no "View on site" button for it.
        return program.get_absolute_url() if program.is_published else None


class ViewersMayExportMixin:
    """Export of reference lists (metrics, states) needs only the view permission."""

    def has_export_permission(self, request):
        return self.has_view_permission(request)


@admin.register(Metric)
class MetricAdmin(ViewersMayExportMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = (resources.MetricResource,)
    export_formats = resources.EXPORT_FORMATS
    list_display = ("key", "label", "program", "scope", "unit", "parent")
    list_filter = ("scope", "unit", "program")
    search_fields = ("key", "label")
    list_select_related = ("program", "parent")
    autocomplete_fields = ("program", "parent")


class PlaceListFilter(admin.SimpleListFilter):
    title = "place"
    parameter_name = "place"

    def lookups(self, request, model_admin):
        return (("national", "National"), ("state", "State"))

    def queryset(self, request, queryset):
        if self.value() == "national":
            return queryset.filter(state__isnull=True)
        if self.value() == "state":
            return queryset.filter(state__isnull=False)
        return queryset


@admin.register(Figure)
class FigureAdmin(UpdatedByMixin, ImportExportMixin, admin.ModelAdmin):
    # Import needs programs.import_figure and export programs.export_figure (settings).
    resource_classes = (resources.FigureResource,)
    import_formats = resources.FORMATS
    export_formats = resources.EXPORT_FORMATS
    import_template_name = "admin/programs/figure/import.html"
    # Exports are always the whole import format, so that they import back unchanged.
    export_form_class = ExportForm
    list_display = (
        "metric_label",
        "metric_key",
        "program",
        "place",
        "year",
        "formatted_value",
        "qualifier",
    )
    list_filter = (
        "year",
        ("metric__program", admin.RelatedOnlyFieldListFilter),
        PlaceListFilter,
        ("state", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("metric__key", "metric__label", "state__name", "state__code")
    list_select_related = ("metric__program", "state")
    ordering = (
        "-year",
        "metric__program__work_area",
        "metric__program__position",
        "metric__position",
        "state__name",
    )
    autocomplete_fields = ("metric", "state")
    readonly_fields = ("created", "updated", "updated_by")

    @admin.display(description="metric", ordering="metric__label")
    def metric_label(self, figure):
        return figure.metric.label

    @admin.display(description="key", ordering="metric__key")
    def metric_key(self, figure):
        return figure.metric.key

    @admin.display(description="program", ordering="metric__program__name")
    def program(self, figure):
        return figure.metric.program

    @admin.display(description="place", ordering="state__name")
    def place(self, figure):
        return figure.place_name

    @admin.display(description="value", ordering="value")
    def formatted_value(self, figure):
        return figure.display_value

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # Only on a page about to be rendered: a redirect (after an action or a list edit)
        # leads to a GET that warns again, and a popup has no room for messages.
        if isinstance(response, TemplateResponse) and IS_POPUP_VAR not in request.GET:
            for total, parts in Figure.objects.breakdown_mismatches():
                parts_text = formatting.format_figure(parts, total.metric.unit)
                self.message_user(
                    request,
                    f"{total.metric.label}, {total.place_name}, {total.year}: the parts add "
                    f"up to {parts_text}, but the total is {total.display_value}.",
                    messages.WARNING,
                )
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except ImportFileError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:programs_figure_import"))

    def process_result(self, result, request):
        report = result.report
        if not report.ok:
            # Only if the saved data changed between preview and confirm: nothing was saved.
            for error in report.errors[:20]:
                self.message_user(request, str(error), messages.ERROR)
            self.message_user(request, report.summary(), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:programs_figure_import"))
        self.message_user(
            request, f"Imported {report.file_name}: {report.summary()}", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:programs_figure_changelist"))
