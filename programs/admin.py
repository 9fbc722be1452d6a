from django.contrib import admin, messages
from django.contrib.admin.views.main import IS_POPUP_VAR
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin

from . import formatting, resources
from .figure_files import ImportFileError
from .forms import FigureAdminForm, FigureConfirmImportForm, FigureImportForm
from .models import Edition, Figure, Metric, Program
from .preview import preview_url
from .publishing import edition_publish, edition_unpublish, editions_impact


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
class ProgramAdmin(UpdatedByMixin, SimpleHistoryAdmin):
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
        url = program.get_absolute_url()
        if not program.is_published:
            return format_html('Not published (<a href="{}">preview</a>)', preview_url(url))
        return format_html('<a href="{}">{}</a> (<a href="{}">preview</a>)', url, url,
                           preview_url(url))  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Putting a program in front of the public is publishing: Publishers only.
        if not request.user.has_perm("programs.publish_edition"):
            fields = (*fields, "is_published")
        return fields

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
class FigureAdmin(UpdatedByMixin, ImportExportMixin, SimpleHistoryAdmin):
    # Import needs programs.import_figure and export programs.export_figure (settings).
    resource_classes = (resources.FigureResource,)
    import_formats = resources.FORMATS
    export_formats = resources.EXPORT_FORMATS
    import_template_name = "admin/programs/figure/import.html"
    # Exports are always the whole import format, so that they import back unchanged.
    export_form_class = ExportForm
    import_form_class = FigureImportForm
    confirm_form_class = FigureConfirmImportForm
    form = FigureAdminForm
    list_display = (
        "metric_label",
        "metric_key",
        "program",
        "place",
        "year",
        "formatted_value",
        "qualifier",
        "edition_status",
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

    def get_queryset(self, request):
        # The edition's status in the same query as the list, not a query per row.
        status = Edition.objects.filter(year=OuterRef("year")).values("status")[:1]
        return super().get_queryset(request).annotate(edition_status=Subquery(status))

    @admin.display(description="edition", ordering="edition_status")
    def edition_status(self, figure):
        return Edition.Status(figure.edition_status).label if figure.edition_status else "None"

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

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["reason"] = import_form.cleaned_data.get("reason", "")
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["reason"] = form.cleaned_data.get("reason", "") if form else ""
        return kwargs

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason", "").strip() or None
        super().save_model(request, obj, form, change)

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


@admin.register(Edition)
class EditionAdmin(UpdatedByMixin, SimpleHistoryAdmin):
    """Reporting years: drafts until a publisher publishes them (now or on a schedule)."""

    list_display = ("year", "status", "published_at", "publish_at", "preview")
    list_filter = ("status",)
    readonly_fields = ("status", "published_at", "created", "updated", "updated_by")
    actions = ("publish", "unpublish")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request) or (obj is not None and obj.is_published):
            fields = (*fields, "publish_at")  # scheduling is publishing
        if obj is not None:
            fields = ("year", *fields)
        return fields

    def has_publish_permission(self, request):
        return request.user.has_perm("programs.publish_edition")

    @admin.display(description="preview")
    def preview(self, edition):
        return format_html('<a href="{}">Preview the site with drafts</a>', preview_url("/"))

    def _confirm(self, request, queryset, *, action, title, verb, wanted_status):
        """Ask first, saying what will change; act on the confirming POST."""
        editions = [e for e in queryset.order_by("year") if e.status == wanted_status]
        if not editions:
            self.message_user(request, f"Nothing to do: no selected edition is a "
                              f"{wanted_status}.", messages.WARNING)  # fmt: skip
            return None
        if request.POST.get("confirmed") == "yes":
            do = edition_publish if action == "publish" else edition_unpublish
            done = [e.year for e in editions if do(edition=e, user=request.user)]
            self.message_user(
                request,
                f"{verb} {', '.join(map(str, done))}.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/programs/edition/confirm_publishing.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "impacts": editions_impact(editions),
                "verb": "Publishing" if action == "publish" else "Unpublishing",
                "action": action,
                "button": "Yes, publish" if action == "publish" else "Yes, unpublish",
                "opts": self.model._meta,
                "selected": [e.pk for e in editions],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Publish the selected editions", permissions=["publish"])
    def publish(self, request, queryset):
        return self._confirm(
            request,
            queryset,
            action="publish",
            title="Publish editions?",
            verb="Published",
            wanted_status="draft",
        )

    @admin.action(description="Unpublish the selected editions", permissions=["publish"])
    def unpublish(self, request, queryset):
        return self._confirm(
            request,
            queryset,
            action="unpublish",
            title="Unpublish editions?",
            verb="Unpublished",
            wanted_status="published",
        )
