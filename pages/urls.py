from django.urls import path
from django.utils.translation import gettext_lazy as _

from pages import views

urlpatterns = [
    path("", views.home, name="home"),
    path(_("om-centiro/"), views.about, name="about"),
    path(_("kontakt/"), views.contact, name="contact"),
]
