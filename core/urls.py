"""Operations endpoints, outside the language prefixes."""

from django.urls import path

from core import metrics, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
]
