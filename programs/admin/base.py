"""What every admin page of the app shares: each write runs inside public_change() as
the signed-in user, so only a Publisher's save can alter what readers see, whichever
admin path it takes (a form, "save as new", an action, a list edit, a history revert).
"""

from contextlib import contextmanager
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .. import formatting
from ..models import Audited, is_publisher, public_change

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@contextmanager
def writes_of(request):
    """Open public_change() for a request that may write; nothing for one that reads."""
    if request.method in WRITE_METHODS:
        with public_change(user=request.user):
            yield
    else:
        yield


class HistoryChanges(HistoricalRecordContextHelper):
    """The changes a history page lists, with numbers written as the site writes them:
    a figure's "66 → 67", never the column's "66.00 → 67.00"."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, Decimal):
            return formatting.format_figure(value)
        return super().prepare_delta_change_value(change, value)


class PublicChangeAdmin(SimpleHistoryAdmin):
    """A model admin whose public rows only Publishers may change.

    Subclasses say which rows readers see (:meth:`is_public`). For anyone else those rows
    are view-only, and a crafted POST still fails: the model refuses the write (403).
    """

    def is_public(self, obj) -> bool:
        return False

    def may_change(self, request, obj):
        return obj is None or not self.is_public(obj) or is_publisher(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_change(request, obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChanges(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        if isinstance(obj, Audited):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset):
        # One by one, through each row's delete(): the bulk delete of "delete selected"
        # would go past the check that a public row changes only by a Publisher's hand.
        for obj in queryset:
            obj.delete()

    def changeform_view(self, request, *args, **kwargs):
        with writes_of(request):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with writes_of(request):
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with writes_of(request):
            return super().delete_view(request, *args, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring an old version is a change of the row as it stands now: it needs the
        right to change that row (the library only asks for the right to view it)."""
        if request.method in WRITE_METHODS:
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        with writes_of(request):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):  # fmt: skip
        # A refused edit leaves its values on the form's instance; the page's title and
        # breadcrumb name the row as it is saved, not as the refused edit would have it.
        if change and obj is not None and obj.pk and context.get("errors"):
            saved = self.get_object(request, str(obj.pk))
            if saved is not None:
                context["original"] = saved
                context["subtitle"] = str(saved)
        return super().render_change_form(request, context, add, change, form_url, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list staff look at but never write here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
