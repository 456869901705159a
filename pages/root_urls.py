"""Files crawlers look for at the site's root, outside the language prefixes."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from pages import seo

urlpatterns = [
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("favicon.ico", seo.favicon_ico, name="favicon_ico"),
    path(".well-known/security.txt", seo.security_txt, name="security_txt"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": seo.SITEMAPS}, name="sitemap"),
]
