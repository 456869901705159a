import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centiro_site.settings")

django_application = get_wsgi_application()

from pagecache.layer import PageCache  # noqa: E402 (needs the settings loaded above)

# Page cache hits are answered before Django's handler (pagecache/layer.py).
application = PageCache(django_application)

from core.warmup import warm_up  # noqa: E402

warm_up()
