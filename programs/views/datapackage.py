"""``/data/datapackage.json``: the Frictionless Data Package describing the downloads."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from ..page_cache import built_from
from ..reader.datapackage import descriptor


@require_safe
def datapackage(request):
    package = descriptor(
        request.build_absolute_uri,
        address=request.build_absolute_uri(),
        version=built_from(request).version,
    )
    response = JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
    # Data tools in a browser (data package viewers) read it from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    return response
