"""``/data/datapackage.json``: the Frictionless Data Package describing the downloads."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from ncmec_site.site_address import absolute_url

from ..page_cache import built_from
from ..reader.datapackage import descriptor


@require_safe
def datapackage(request):
    package = descriptor(
        absolute_url,
        address=absolute_url(request.get_full_path()),
        version=built_from(request).version,
    )
    response = JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
    # Data tools in a browser (data package viewers) read it from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    return response
