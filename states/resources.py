from import_export import resources

from .models import State


class StateResource(resources.ModelResource):
    class Meta:
        model = State
        fields = ("name", "code", "fips_code", "slug", "kind")
        export_order = fields
