from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler429 = "accounts.views.too_many_attempts"  # read by allauth's rate limits
handler500 = "core.views.server_error"

urlpatterns = [
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("", include("pages.root_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("pages.urls")),
    path("", include("policy.urls")),
    path("", include("consent.urls")),
    path("", include("visits.own_urls")),
    path(_("konto/"), include("accounts.urls")),
    path(_("konto/"), include("accounts.allauth_urls")),
    path(_("portal/"), include("registrations.urls")),
    path(_("besoksstatistik/"), include("visits.dashboard.urls")),
    prefix_default_language=False,
)
