"""Figures: the list, the form for figures readers do not see yet, and import/export.

A figure readers see (a published edition of a published program) is view-only here,
for everyone: it changes through a pending change that a Publisher publishes.
"""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.views.main import IS_POPUP_VAR
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from .. import figure_checks, formatting, resources
from ..figure_files import ImportFileError
from ..forms import FigureAdminForm
from ..import_forms import FigureConfirmImportForm, FigureImportForm
from ..models import Edition, Figure, PendingChange, PublicContentLocked
from ..uploads import held_upload_name
from .base import PublicChangeAdmin


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


class SavedBySomeoneElse(Exception):
    """The figure's metric, year and place were taken between the form's checks and its
    save (an import, or another member of staff, wrote the same figure)."""


def is_unique_violation(error: IntegrityError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or "UNIQUE constraint" in str(cause)


def warn_of_flags(model_admin, request, candidate):
    """A warning message per flag of a figure just saved or staged: saved all the same."""
    for flag in figure_checks.candidate_flags([candidate]):
        model_admin.message_user(request, str(flag), messages.WARNING)


def pending_change_url(figure):
    """The form that stages a correction to a published figure, filled in from it."""
    return f"{reverse('admin:programs_pendingchange_add')}?figure={figure.pk}"


@admin.register(Figure)
class FigureAdmin(ImportExportMixin, PublicChangeAdmin):
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
        "pending",
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
    readonly_fields = ("publication", "checks", "figure_value", "created", "updated",
                       "updated_by")  # fmt: skip
    fields = ("publication", "checks", "metric", "year", "state", "value", "qualifier", "source",
              "note", "change_reason", "created", "updated", "updated_by")  # fmt: skip
    actions = ("delete_drafts",)

    def get_queryset(self, request):
        # The edition's status and any pending change in the list's own query.
        status = Edition.objects.filter(year=OuterRef("year")).values("status")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(
                edition_status=Subquery(status),
                has_pending=Exists(PendingChange.objects.filter(figure=OuterRef("pk"))),
            )
        )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fields = ["figure_value" if f == "value" else f for f in fields]
        if obj is None:
            return [f for f in fields if f not in {"publication", "checks"}]
        if self.is_public(obj):
            return [f for f in fields if f != "change_reason"]
        return fields

    def is_public(self, figure):
        if not hasattr(figure, "_public"):
            figure._public = figure.shown_to_public()
        return figure._public

    def may_change(self, request, obj):
        # Corrections to what readers see are staged, whoever makes them.
        return obj is None or not self.is_public(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # delete_drafts asks first, drafts only
        return actions

    @admin.action(description="Delete selected figures (of drafts only)", permissions=["delete"])
    def delete_drafts(self, request, queryset):
        public = queryset.published().count()
        if public:
            self.message_user(
                request,
                f"{public} of the selected figures are in published editions: nothing was "
                "deleted. Withdraw a published figure with a pending change, which a "
                "Publisher publishes.",
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def delete_queryset(self, request, queryset):
        if queryset.published().exists():
            raise PublicContentLocked("Figures of published editions are withdrawn, not deleted.")
        super().delete_queryset(request, queryset)

    @admin.display(description="publication")
    def publication(self, figure):
        if self.is_public(figure):
            return format_html(
                "Published: readers see this figure, so it is changed or withdrawn by a "
                'pending change that a Publisher publishes. <a href="{}">Stage a correction '
                "to this figure</a>.",
                pending_change_url(figure),
            )
        return "Not public yet (a draft edition or an unpublished program): edit it freely."

    @admin.display(description="checks")
    def checks(self, figure):
        """The flags of the figure as saved (programs/figure_checks): worth a second look
        before it is published, never a refusal."""
        flags = figure_checks.candidate_flags([candidate_of(figure)])
        if not flags:
            return "None found."
        return format_html_join("", "<p>{}</p>", ((flag,) for flag in flags))

    @admin.display(description="edition", ordering="edition_status")
    def edition_status(self, figure):
        return Edition.Status(figure.edition_status).label if figure.edition_status else "None"

    @admin.display(description="pending", boolean=True, ordering="has_pending")
    def pending(self, figure):
        return figure.has_pending

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

    @admin.display(description="value")
    def figure_value(self, figure):
        # Read-only, as readers read it: "66", never the column's "66.00".
        return formatting.format_figure(figure.value, figure.metric.unit)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # Only on a page about to be rendered: a redirect (after an action or a list edit)
        # leads to a GET that warns again, and a popup has no room for messages.
        if isinstance(response, TemplateResponse) and IS_POPUP_VAR not in request.GET:
            for flag in figure_checks.breakdown_flags():
                self.message_user(request, str(flag), messages.WARNING)
        return response

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason", "").strip() or None
        try:
            with transaction.atomic():  # a savepoint: the request's transaction stays usable
                super().save_model(request, obj, form, change)
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            raise SavedBySomeoneElse(
                f"A figure for {obj.place_name}, {obj.metric.label}, {obj.year} was saved by "
                "someone else a moment ago: reload to edit it."
            ) from error
        warn_of_flags(self, request, candidate_of(obj))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The form, or, when its figure was taken between the form's checks and its save
        (validate_unique passed, then an import inserted the row), the same form again
        with a sentence saying so: the request's transaction is rolled back and nothing
        is saved, never a 500."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SavedBySomeoneElse as conflict:
            request.figure_conflict = str(conflict)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        conflict = getattr(request, "figure_conflict", None)
        if conflict is None:
            return form_class

        class ConflictForm(form_class):
            def clean(self):
                self.add_error(None, conflict)
                return super().clean()

        return ConflictForm

    # Import ---------------------------------------------------------------------------

    def import_action(self, request, **kwargs):
        """The upload and its preview; an import refused only because its changes to a
        published edition need a reason keeps the upload (FigureImportForm.hold) and puts
        the error on the Reason field, so that the reason is given without choosing the
        file again. Other errors are the file's to correct."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        report = getattr(context.get("result"), "report", None)
        if report is not None and report.needs_only_reason:
            self.hold_for_reason(context["form"], report)
        return response

    def hold_for_reason(self, form, report):
        upload = form.cleaned_data["import_file"]
        storage, data = upload.held
        storage.save(data)
        form.hold(storage.name, upload.name)
        years = sorted({year for year, _ in report.staged_by_year()} or report.published_years)
        rows = len(report.reason_rows)
        form.add_error(
            "reason",
            f"{rows} row{'' if rows == 1 else 's'} of {upload.name} change"
            f"{'s' if rows == 1 else ''} the published "
            f"{formatting.word_list(years)} edition{'' if len(years) == 1 else 's'}: say why "
            "here (readers see it in the revision note), then submit again. The file is kept: "
            "there is no need to choose it again.",
        )
        form.fields["reason"].widget.attrs["autofocus"] = True

    def get_import_form_kwargs(self, request):
        kwargs = super().get_import_form_kwargs(request)
        kwargs["upload_refused"] = getattr(request, "upload_refused", None)
        kwargs["user"] = request.user
        kwargs["storage_class"] = self.get_tmp_storage_class()
        return kwargs

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["user"] = request.user
        return kwargs

    def write_to_tmp_storage(self, import_file, input_format):
        """The upload, named but not yet stored: it is held (get_confirm_form_initial)
        only once its preview passes, or its import needs only a reason, so that a
        refused file is kept nowhere."""
        storage = self.get_tmp_storage_class()(
            read_mode=input_format.get_read_mode(), **self.get_tmp_storage_class_kwargs()
        )
        storage.name = getattr(import_file, "held_name", None) or held_upload_name(
            import_file.owner
        )
        import_file.seek(0)
        import_file.held = (storage, import_file.read())
        return _Unsaved(storage.name, import_file.held[1])

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["reason"] = import_form.cleaned_data.get("reason", "")
            storage, data = import_form.cleaned_data["import_file"].held
            storage.save(data)  # asked for only when the preview can be confirmed
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["reason"] = form.cleaned_data.get("reason", "") if form else ""
        return kwargs

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
        # The next step is to look over each year the file touched: a link to its grid.
        grids = format_html_join(
            " ",
            '<a href="{}">See {}: what is there, missing and flagged.</a>',
            (
                (reverse("admin:programs_edition_grid", args=[pk]), year)
                for pk, year in Edition.objects.filter(
                    year__in={change.year for change in report.changes}
                ).values_list("pk", "year")
            ),
        )
        self.message_user(
            request,
            format_html("Imported {}: {} {}", report.file_name, report.summary(), grids),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:programs_figure_changelist"))


def candidate_of(figure):
    """What the checks need of a figure, or of a correction staged to one (a Proposal)."""
    return figure_checks.Candidate(
        figure.metric, figure.year, figure.state, figure.value, figure.qualifier, figure.source
    )


class _Unsaved:
    """An upload read for its preview, before it is held: what django-import-export's
    import view asks of its temporary storage."""

    def __init__(self, name, data):
        self.name = name
        self.data = data

    def read(self):
        return self.data
