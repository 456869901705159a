"""allauth's pages, with its sign-out replaced by ours (accounts/views.py)."""

from django.urls import include, path

from accounts.views import sign_out

urlpatterns = [
    path("logout/", sign_out, name="account_logout"),
    path("", include("allauth.urls")),
]
