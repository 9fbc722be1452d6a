"""The public pages' addresses, in one namespace per section of the site.

ncmec_site/urls.py includes each list under its prefix: /programs/, /states/,
/revisions/, /metrics/.
"""

from django.urls import path

from .feeds import RevisionsFeed
from .views import fact_sheet_pdf, fact_sheets, metrics, programs, revisions

app_name = "programs"

urlpatterns = [
    path("", programs.program_list, name="list"),
    path("<slug:slug>/", programs.program_detail, name="detail"),
    path("<slug:slug>/<int:year>/", programs.program_detail, name="year"),
]

state_urlpatterns = (
    [
        path("", fact_sheets.state_list, name="list"),
        path("<slug:slug>/", fact_sheets.fact_sheet, name="detail"),
        path("<slug:slug>/<int:year>/", fact_sheets.fact_sheet, name="fact_sheet"),
        path(
            "<slug:slug>/<int:year>/fact-sheet.pdf",
            fact_sheet_pdf.fact_sheet_pdf,
            name="fact_sheet_pdf",
        ),
    ],
    "states",
)

revision_urlpatterns = (
    [
        path("", revisions.revision_list, name="list"),
        path("feed/", RevisionsFeed(), name="feed"),
        path("<int:pk>/", revisions.revision_detail, name="detail"),
    ],
    "revisions",
)

metric_urlpatterns = (
    [
        path("<slug:key>/", metrics.metric_detail, name="detail"),
    ],
    "metrics",
)
