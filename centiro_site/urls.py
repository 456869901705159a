from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import sign_out
from centiro_site import metrics, seo, views

handler400 = "centiro_site.views.bad_request"
handler403 = "centiro_site.views.permission_denied"
handler404 = "centiro_site.views.page_not_found"
handler429 = "accounts.views.too_many_attempts"  # read by allauth's rate limits
handler500 = "centiro_site.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", seo.security_txt, name="security_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": seo.SITEMAPS}, name="sitemap"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("om-centiro/"), views.about, name="about"),
    path(_("kontakt/"), views.contact, name="contact"),
    path("", include("policy.urls")),
    path("", include("consent.urls")),
    path("", include("visits.own_urls")),
    path(_("konto/"), include("accounts.urls")),
    # Before allauth's own, which it replaces (accounts/views.py).
    path(_("konto/"), include([path("logout/", sign_out, name="account_logout")])),
    path(_("konto/"), include("allauth.urls")),
    path(_("portal/"), include("registrations.urls")),
    path(_("besoksstatistik/"), include("visits.urls")),
    prefix_default_language=False,
)
