"""The load benchmark's baseline: bare Django, one view returning a short HTML string.

Served by gunicorn with the same settings as the site: `gunicorn benchmarks.baseline_app`.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="baseline-benchmark-only",  # noqa: S106
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request):
    return HttpResponse("<!doctype html><title>Baseline</title><p>Hej</p>")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
