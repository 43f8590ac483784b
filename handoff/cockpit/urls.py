from django.urls import path

from handoff.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("", views.home, name="home"),
    path("csv/<slug:key>.csv", views.chart_csv, name="csv"),
]
