from import_export import resources

from ncmec_site.spreadsheets import GuardedExport

from .models import State


class StateResource(GuardedExport, resources.ModelResource):
    """The states as staff export them: every cell is text, guarded against formulas."""

    class Meta:
        model = State
        fields = ("name", "code", "fips_code", "slug", "kind")
        export_order = fields
