from django.urls import path
from django.utils.translation import gettext_lazy as _

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("", views.portal, name="portal"),
    path(_("registrera/"), views.register, name="register"),
    path(_("mina-produkter/"), views.registration_list, name="list"),
    path(_("mina-produkter/<int:pk>/nyheter/"), views.updates, name="updates"),
    path(_("material/<int:pk>/"), views.resource, name="resource"),
    path(_("avsluta-nyheter/<str:token>/"), views.unsubscribe, name="unsubscribe"),
]
