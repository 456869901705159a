from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_language

from pages.seo import is_private


@lru_cache(maxsize=1024)
def _translated(url, active_language, code):
    """translate_url() resolves and reverses the path on each call; its result depends only
    on the URL, the language the URL is read in and the target language, so each process
    works it out once per page (bounded, as paths come from the request)."""
    return translate_url(url, code)


def _on_site(path):
    """The request's path as a link that stays on this site: a path such as `//evil.example/`
    reads as another host (translate_url, browsers); its second slash is escaped instead."""
    return "/%2F" + path[2:] if path.startswith("//") else path


def site(request):
    """Canonical URL, language alternates (switcher and hreflang) and indexing of the page."""
    own = _on_site(escape_uri_path(request.path))
    path = _on_site(request.get_full_path()) if request.method == "GET" else own
    active = get_language()
    return {
        "canonical_url": settings.SITE_URL + own,
        "noindex": is_private(request),
        "language_alternates": [
            {
                "code": code,
                "name": name,
                "url": _translated(path, active, code),
                "absolute_url": settings.SITE_URL + _translated(own, active, code),
            }
            for code, name in settings.LANGUAGES
        ],
    }
