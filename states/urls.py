from django.urls import path

from . import views

app_name = "states"

urlpatterns = [
    path("", views.state_list, name="list"),
    path("<slug:slug>/", views.fact_sheet, name="detail"),
    path("<slug:slug>/<int:year>/", views.fact_sheet, name="fact_sheet"),
]
