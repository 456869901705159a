from django.urls import path

from visits.dashboard import views

app_name = "visits"

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("export.csv", views.export_csv, name="export"),
]
