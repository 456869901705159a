from django.conf import settings
from django.urls import translate_url

from centiro_site.seo import is_private


def site(request):
    """Canonical URL, language alternates (switcher and hreflang) and indexing of the page."""
    path = request.get_full_path() if request.method == "GET" else request.path
    return {
        "canonical_url": settings.SITE_URL + request.path,
        "noindex": is_private(request),
        "language_alternates": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "absolute_url": settings.SITE_URL + translate_url(request.path, code),
            }
            for code, name in settings.LANGUAGES
        ],
    }
