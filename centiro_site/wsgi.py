import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centiro_site.settings")

django_application = get_wsgi_application()

from pagecache.earlyhits import EarlyHits  # noqa: E402 (needs the settings loaded above)

# Page cache hits are answered before Django's handler (pagecache/earlyhits.py).
application = EarlyHits(django_application)

from core.warmup import warm_up  # noqa: E402

warm_up()
