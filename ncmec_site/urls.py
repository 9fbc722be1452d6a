from django.contrib import admin
from django.urls import include, path

from programs import preview
from programs import views as program_views

admin.site.site_header = "NCMEC Data administration"
admin.site.site_title = "NCMEC Data admin"
admin.site.index_title = "Programs, states and figures"

urlpatterns = [
    path("", program_views.home, name="home"),
    path("programs/", include("programs.urls")),
    path("states/", include("states.urls")),
    path("preview/start/", preview.preview_start, name="preview_start"),
    path("preview/stop/", preview.preview_stop, name="preview_stop"),
    path("admin/", admin.site.urls),
]

handler404 = "ncmec_site.views.page_not_found"
