from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts import views

app_name = "accounts"

urlpatterns = [
    path(_("mina-uppgifter/"), views.my_data, name="my_data"),
    path(_("mina-uppgifter/export/"), views.export, name="export"),
    path(_("radera/"), views.delete, name="delete"),
]
