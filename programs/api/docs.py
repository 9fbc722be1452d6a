"""The API documented: /api/ for people, /api/v1/openapi.json for machines, both from
the lists of openapi.py and fields.py."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from ncmec_site.site_address import absolute_url

from ..reader.citation import citation
from ..reader.published import last_changed
from . import fields, openapi
from .examples import example_texts
from .responses import api_view, method_not_allowed
from .views import MAX_PAGE_SIZE, PAGE_SIZE


@csrf_exempt  # a POST gets the API's JSON 405, not CSRF's HTML 403
def api_docs(request):
    """One query: the publication dates, for the citations."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    published = last_changed()
    absolute = absolute_url

    def cite(title, address):
        return citation(title, address, published=published)

    base = absolute(reverse("api:index"))
    return render(
        request,
        "programs/api.html",
        {
            "title": "API",
            "description": "A read-only JSON API of NCMEC's published figures, by program "
            "and by state: its addresses, fields, filters, caching and errors.",
            "base": base,
            "endpoints": [
                (endpoint, base + endpoint.path, base + endpoint.example)
                for endpoint in openapi.ENDPOINTS
            ],
            "schemas": [
                ("Program", "program", fields.PROGRAM),
                ("State", "state", fields.STATE),
                ("Metric", "metric", fields.METRIC),
                ("Note", "note", fields.NOTE),
                ("Figure", "figure", fields.FIGURE),
            ],
            "list_fields": fields.LIST,
            "error_fields": fields.ERROR,
            "filters": openapi.FILTER_DOCS.items(),
            "page_docs": openapi.PAGE_DOCS.items(),
            "page_size": PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
            "examples": example_texts(absolute, cite),
            "citation": cite("NCMEC Data API documentation", base),
            "openapi_url": absolute(reverse("api:openapi")),
        },
    )


@api_view
def openapi_document(request):
    return openapi.document(absolute_url(reverse("api:index")))
