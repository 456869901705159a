from django.urls import path
from django.utils.translation import gettext_lazy as _

from visits import own_views

app_name = "own_visits"

urlpatterns = [
    path(_("kakor/dina-besok/"), own_views.page, name="page"),
    path(_("kakor/dina-besok/besok.json"), own_views.export, name="export"),
    path(_("kakor/dina-besok/radera/"), own_views.erase, name="erase"),
]
