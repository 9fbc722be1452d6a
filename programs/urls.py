from django.urls import path

from . import views
from .feeds import RevisionsFeed

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("<slug:slug>/", views.program_detail, name="detail"),
    path("<slug:slug>/<int:year>/", views.program_detail, name="year"),
]

# The revision notes, under /revisions/ (ncmec_site/urls.py includes them).
revision_urlpatterns = (
    [
        path("", views.revision_list, name="list"),
        path("feed/", RevisionsFeed(), name="feed"),
        path("<int:pk>/", views.revision_detail, name="detail"),
    ],
    "revisions",
)
