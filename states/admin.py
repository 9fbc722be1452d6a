from django.contrib import admin
from django.utils.html import format_html
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from programs.preview import preview_url

from .models import State
from .resources import StateResource


@admin.register(State)
class StateAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = (StateResource,)
    export_formats = (base_formats.CSV, base_formats.XLSX, base_formats.JSON)
    list_display = ("name", "code", "fips_code", "kind", "public_page")
    list_filter = ("kind",)
    # Also what the figure form's state autocomplete searches.
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)

    @admin.display(description="public page")
    def public_page(self, state):
        url = state.get_absolute_url()
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">preview</a>)', url, url, preview_url(url)
        )

    def has_export_permission(self, request):
        # The list of states is public reference data: viewing it is enough to export it.
        return self.has_view_permission(request)
