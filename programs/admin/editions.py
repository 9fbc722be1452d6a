"""Editions (publish, unpublish, the pending changes of a published year), pending
changes, and the revision notes publishing writes."""

from functools import partial

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ncmec_site.preview import preview_url

from .. import formatting
from ..corrections import pending_changes_stage
from ..forms import PendingChangeForm
from ..models import Edition, Figure, PendingChange, Revision, is_publisher
from .base import PublicChangeAdmin, ReadOnlyAdmin
from .edition_publishing import EditionPublishingActions
from .figures import candidate_of, warn_of_flags
from .year_grid import grid_link, year_grid_view


def changes_table(rows, *, who=True):
    """An HTML table of pending or published changes: place, metric, old → new, why."""
    if not rows:
        return "None."
    header = "<tr><th>Place</th><th>Metric</th><th>Change</th><th>Reason</th>" + (
        "<th>Staged by</th><th>When</th>" if who else ""
    ) + "</tr>"  # fmt: skip
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
        (
            (
                row.place_name,
                row.metric.key,
                "; ".join(str(change) for change in row.changes()),
                row.reason,
                format_html(
                    "<td>{}</td><td>{}</td>",
                    row.staged_by or "the system",
                    formatting.format_datetime(row.staged_at),
                )
                if who
                else "",
            )
            for row in rows
        ),
    )
    return format_html('<table class="changes">{}{}</table>', mark_safe(header), body)


@admin.register(Edition)
class EditionAdmin(EditionPublishingActions, PublicChangeAdmin):
    """Reporting years: drafts until a Publisher publishes them (now or on a schedule); a
    published year's corrections wait as pending changes until a Publisher publishes them.
    The publishing actions and their confirmation: EditionPublishingActions."""

    list_display = ("year", "status", "published_at", "publish_at", "pending", grid_link,
                    "preview")  # fmt: skip
    list_filter = ("status",)
    readonly_fields = ("status", "published_at", "pending_changes", "created", "updated",
                       "updated_by")  # fmt: skip
    actions = ("publish", "unpublish", "discard_pending")
    change_form_template = "admin/programs/edition/change_form.html"

    def is_public(self, edition):
        return edition.is_published

    def get_queryset(self, request):
        pending = (
            PendingChange.objects.filter(year=OuterRef("year"))
            .order_by()
            .values("year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(pending_count=Coalesce(Subquery(pending), 0))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request) or (obj is not None and obj.is_published):
            fields = (*fields, "publish_at")  # scheduling is publishing
        if obj is not None:
            fields = ("year", *fields)
        return fields

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [f for f in fields if f != "pending_changes"]

    def has_publish_permission(self, request):
        return is_publisher(request.user)

    def has_delete_permission(self, request, obj=None):
        # An edition with figures, or a published one, is never deleted: unpublish it.
        if obj is not None and (obj.is_published or Figure.objects.filter(year=obj.year).exists()):
            return False
        return super().has_delete_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return True  # an edition changes by publishing and unpublishing, never by a revert

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description="pending changes", ordering="pending_count")
    def pending(self, edition):
        return edition.pending_count or ""

    @admin.display(description="preview")
    def preview(self, edition):
        return format_html('<a href="{}">Preview the site with drafts</a>', preview_url("/"))

    @admin.display(description="pending changes")
    def pending_changes(self, edition):
        rows = PendingChange.objects.for_year(edition.year).with_related()
        return changes_table(list(rows))

    def get_urls(self):
        return [
            path(
                "<int:pk>/confirm/<str:action>/",
                self.admin_site.admin_view(self.confirm_view),
                name="programs_edition_confirm",
            ),
            path(
                "<int:pk>/figures/",
                self.admin_site.admin_view(partial(year_grid_view, model_admin=self)),
                name="programs_edition_grid",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"may_publish": self.has_publish_permission(request), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def confirm_view(self, request, pk, action):
        """The confirmation page of an action, for one edition, from its change page. The
        confirming POST goes to the list's action, the one path that acts."""
        if action not in self.actions or not self.has_publish_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(self.get_queryset(request), pk=pk)
        response = getattr(self, action)(request, Edition.objects.filter(pk=edition.pk))
        # None: there was nothing to do, and a message says so on the edition's page.
        return response or redirect("admin:programs_edition_change", edition.pk)


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """Corrections to published figures, staged: readers see them once published."""

    form = PendingChangeForm
    list_display = ("action", "metric_key", "place", "year", "change", "reason", "staged_by",
                    "staged_at")  # fmt: skip
    list_filter = ("year", "action")
    search_fields = ("metric__key", "metric__label", "state__name", "state__code", "reason")
    list_select_related = ("metric__program", "state", "figure", "staged_by")
    autocomplete_fields = ("metric", "state")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a pending change stays on its figure; stage another instead
            return ("metric", "year", "state", "staged_by", "staged_at", "new_value")
        return ()

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "new_value"]
        if obj is not None and not self.has_change_permission(request, obj):
            fields = ["new_value" if f == "value" else f for f in fields]
        return fields

    @admin.display(description="value")
    def new_value(self, pending):
        # Read-only, as readers will read it: "66", never the column's "66.00".
        return formatting.format_figure(pending.value, pending.metric.unit)

    def has_delete_permission(self, request, obj=None):
        # Dropping another's staged change is discarding it, which is a Publisher's call;
        # an Editor may take back their own.
        if not super().has_delete_permission(request, obj):
            return False
        if is_publisher(request.user):
            return True
        return obj is not None and obj.staged_by_id == request.user.pk

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_publisher(request.user):
            actions.pop("delete_selected", None)
        return actions

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        wanted = request.GET.get("figure", "")
        found = wanted.isdigit() and len(wanted) < 19  # a primary key, not a number too big
        figure = Figure.objects.filter(pk=int(wanted)).first() if found else None
        if figure is not None:
            initial.update(
                metric=figure.metric_id, year=figure.year, state=figure.state_id,
                value=figure.value, qualifier=figure.qualifier, source=figure.source,
                note=figure.note,
            )  # fmt: skip
        return initial

    def save_model(self, request, obj, form, change):
        staged = pending_changes_stage(
            proposals=[form.proposal], user=request.user, reason=form.cleaned_data["reason"]
        )
        saved = staged.changes[0]
        # The form's instance stands for the saved row in the admin's message and log.
        obj.pk, obj._state.adding = saved.pk, False
        obj.action, obj.figure_id = saved.action, saved.figure_id
        if not form.proposal.withdraw:
            warn_of_flags(self, request, candidate_of(form.proposal))

    @admin.display(description="metric", ordering="metric__key")
    def metric_key(self, pending):
        return pending.metric.key

    @admin.display(description="place", ordering="state__name")
    def place(self, pending):
        return pending.place_name

    @admin.display(description="what changes")
    def change(self, pending):
        return "; ".join(str(change) for change in pending.changes())


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """The revision notes readers see at /revisions/: written by publishing, never edited."""

    list_display = ("__str__", "year", "published_at", "published_by", "figures_changed")
    list_filter = ("year",)
    list_select_related = ("published_by",)
    fields = ("year", "published_at", "published_by", "summary", "changes")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(figure_count=Count("figures"))

    @admin.display(description="figures", ordering="figure_count")
    def figures_changed(self, revision):
        return revision.figure_count

    @admin.display(description="figures changed")
    def changes(self, revision):
        return changes_table(list(revision.figures.select_related("metric", "state")), who=False)
