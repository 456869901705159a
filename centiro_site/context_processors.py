from django.conf import settings
from django.urls import translate_url


def site(request):
    """Language alternates of the current page for the switcher and hreflang."""
    path = request.get_full_path() if request.method == "GET" else request.path
    return {
        "language_alternates": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
