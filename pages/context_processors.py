from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from pages.seo import is_private


@lru_cache(maxsize=1024)
def _translated(url, active_language, code):
    """translate_url() resolves and reverses the path on each call; its result depends only
    on the URL, the language the URL is read in and the target language, so each process
    works it out once per page (bounded, as paths come from the request)."""
    return translate_url(url, code)


def site(request):
    """Canonical URL, language alternates (switcher and hreflang) and indexing of the page."""
    path = request.get_full_path() if request.method == "GET" else request.path
    active = get_language()
    return {
        "canonical_url": settings.SITE_URL + request.path,
        "noindex": is_private(request),
        "language_alternates": [
            {
                "code": code,
                "name": name,
                "url": _translated(path, active, code),
                "absolute_url": settings.SITE_URL + _translated(request.path, active, code),
            }
            for code, name in settings.LANGUAGES
        ],
    }
