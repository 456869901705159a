from django.urls import path
from django.utils.translation import gettext_lazy as _

from consent import views

app_name = "consent"

urlpatterns = [
    path(_("kakor/"), views.cookies, name="cookies"),
    path(_("kakor/val/"), views.choose, name="choose"),
]
