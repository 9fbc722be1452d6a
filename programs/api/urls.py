"""The API's addresses, included at /api/ under the namespace "api"."""

from django.urls import path, re_path

from . import docs, views

api_urlpatterns = (
    [
        path("", docs.api_docs, name="index"),
        path("v1/openapi.json", docs.openapi_document, name="openapi"),
        path("v1/programs/", views.program_list, name="programs"),
        path("v1/programs/<slug:slug>/", views.program_detail, name="program"),
        path("v1/states/", views.state_list, name="states"),
        path("v1/states/<str:code>/", views.state_detail, name="state"),
        path("v1/metrics/", views.metric_list, name="metrics"),
        path("v1/metrics/<slug:key>/", views.metric_detail, name="metric"),
        path("v1/figures/", views.figure_list, name="figures"),
        # Last: anything else under /api/ is a JSON 404, never the site's HTML page.
        re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
    ],
    "api",
)
