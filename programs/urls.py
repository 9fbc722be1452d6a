"""The public pages' addresses, in one namespace per section of the site.

ncmec_site/urls.py includes each list under its prefix: /programs/, /states/,
/revisions/, /metrics/, /data/, /embed/.
"""

from django.urls import path, register_converter

from .feeds import RevisionsFeed
from .views import (
    downloads,
    fact_sheet_pdf,
    fact_sheets,
    metrics,
    pictures,
    programs,
    revisions,
)
from .years import YearConverter

app_name = "programs"


class PictureKindConverter:
    """``<picture:kind>``: the files a chart or a map is downloaded as."""

    regex = "svg|png|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(YearConverter, "year")
register_converter(PictureKindConverter, "picture")

urlpatterns = [
    path("", programs.program_list, name="list"),
    path("<slug:slug>/", programs.program_detail, name="detail"),
    path("<slug:slug>/<year:year>/", programs.program_detail, name="year"),
]

state_urlpatterns = (
    [
        path("", fact_sheets.state_list, name="list"),
        path("<slug:slug>/", fact_sheets.fact_sheet, name="detail"),
        path("<slug:slug>/<year:year>/", fact_sheets.fact_sheet, name="fact_sheet"),
        path(
            "<slug:slug>/<year:year>/fact-sheet.pdf",
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
        path("<slug:key>/chart.<picture:kind>", pictures.chart_file, name="chart"),
        path("<slug:key>/map.<picture:kind>", pictures.map_file, name="map"),
    ],
    "metrics",
)

# A metric's chart and map alone, for other sites' frames (the only pages they may frame).
embed_urlpatterns = (
    [
        path("metrics/<slug:key>/chart/", pictures.chart_embed, name="chart"),
        path("metrics/<slug:key>/map/", pictures.map_embed, name="map"),
    ],
    "embed",
)

data_urlpatterns = (
    [
        path("", downloads.data_index, name="index"),
        path("figures.csv", downloads.figures_csv, name="figures_csv"),
        path("figures.json", downloads.figures_json, name="figures_json"),
        path("figures.xlsx", downloads.figures_xlsx, name="figures_xlsx"),
        path("metrics.csv", downloads.metrics_csv, name="metrics_csv"),
        path("states.csv", downloads.states_csv, name="states_csv"),
    ],
    "data",
)
