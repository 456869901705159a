from django.urls import path
from django.utils.translation import gettext_lazy as _

from policy import views

app_name = "policy"

urlpatterns = [
    path(_("sekretesspolicy/"), views.current, name="current"),
    path(_("sekretesspolicy/versioner/"), views.archive, name="archive"),
    path(_("sekretesspolicy/version/<int:number>/"), views.version, name="version"),
    path(_("sekretesspolicy/jamfor/<int:a>/<int:b>/"), views.diff, name="diff"),
    path(
        _("sekretesspolicy/version/<int:number>/bekrafta/"),
        views.acknowledge,
        name="acknowledge",
    ),
    path(
        _("sekretesspolicy/version/<int:number>/stang-meddelandet/"),
        views.dismiss_notice,
        name="dismiss_notice",
    ),
]
