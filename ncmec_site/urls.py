from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import include, path

from programs.api.urls import api_urlpatterns
from programs.sitemaps import sitemap
from programs.urls import (
    data_urlpatterns,
    embed_urlpatterns,
    metric_urlpatterns,
    revision_urlpatterns,
    state_urlpatterns,
)
from programs.views.compare import compare
from programs.views.datapackage import datapackage
from programs.views.programs import home
from programs.views.search import search

from . import preview, sign_in
from .sign_in import SignInAttemptAdmin
from .views import ROOT_ICONS, health, health_ready, robots_txt, root_icon

admin.site.site_header = "NCMEC Data administration"
admin.site.site_title = "NCMEC Data admin"
admin.site.index_title = "Programs, states and figures"
# No sidebar of every model beside each page: at 1280 px it took a quarter of the width,
# and a list with its filters had 630 px left for its columns, which were cut off. The
# home page and the breadcrumbs lead to every list.
admin.site.enable_nav_sidebar = False
# Failed sign-ins, with the Publishers' Unlock action.
admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, SignInAttemptAdmin)

urlpatterns = [
    path("", home, name="home"),
    path("programs/", include("programs.urls")),
    path("states/", include(state_urlpatterns)),
    path("revisions/", include(revision_urlpatterns)),
    path("compare/", compare, name="compare"),
    path("metrics/", include(metric_urlpatterns)),
    path("embed/", include(embed_urlpatterns)),
    # Before any "data/" include: the data package describes the downloads there.
    path("data/datapackage.json", datapackage, name="datapackage"),
    path("search/", search, name="search"),
    path("api/", include(api_urlpatterns)),
    path("data/", include(data_urlpatterns)),
    path("preview/start/", preview.preview_start, name="preview_start"),
    path("preview/stop/", preview.preview_stop, name="preview_stop"),
    # Before the admin's own: the password change, throttled as sign-in is.
    path("admin/password_change/", admin.site.admin_view(sign_in.password_change)),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("health/", health, name="health"),
    path("health/ready/", health_ready, name="health_ready"),
    *(path(name, root_icon, {"name": name}) for name in ROOT_ICONS),
]

handler400 = "ncmec_site.views.bad_request"
handler404 = "ncmec_site.views.page_not_found"
handler500 = "ncmec_site.views.server_error"
