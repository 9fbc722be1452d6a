from django.contrib import admin
from django.utils.html import format_html
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from ncmec_site.preview import preview_url

from .models import State
from .resources import StateResource


@admin.register(State)
class StateAdmin(ExportMixin, admin.ModelAdmin):
    """The 56 jurisdictions, made by a data migration: reference data staff look up and
    export. Their names are on every public page, so they change only by a migration."""

    resource_classes = (StateResource,)
    export_formats = (base_formats.CSV, base_formats.XLSX, base_formats.JSON)
    list_display = ("name", "code", "fips_code", "kind", "public_page")
    list_filter = ("kind",)
    # Also what the figure form's state autocomplete searches.
    search_fields = ("name", "code")
    ordering = ("name",)

    @admin.display(description="public page")
    def public_page(self, state):
        url = state.get_absolute_url()
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">preview</a>)', url, url, preview_url(url)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        # The list of states is public reference data: viewing it is enough to export it.
        return self.has_view_permission(request)
