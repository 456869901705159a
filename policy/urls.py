from django.urls import path
from django.utils.translation import gettext_lazy as _

from policy import views

app_name = "policy"

urlpatterns = [
    path(_("sekretesspolicy/"), views.current, name="current"),
    path(_("kakor/"), views.cookies, name="cookies"),
]
