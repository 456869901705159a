from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from centiro_site import views

handler400 = "centiro_site.views.bad_request"
handler403 = "centiro_site.views.permission_denied"
handler404 = "centiro_site.views.page_not_found"
handler500 = "centiro_site.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("om-centiro/"), views.about, name="about"),
    path(_("kontakt/"), views.contact, name="contact"),
    path("", include("policy.urls")),
    path(_("konto/"), include("allauth.urls")),
    path(_("besoksstatistik/"), include("visits.urls")),
    prefix_default_language=False,
)
