from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Besöksstatistik")

    def ready(self):
        from accounts.registry import register
        from consent.cookies import VISITOR_COOKIE
        from core import metrics, warmup
        from pagecache import store as pagecache
        from visits.collectors import RollupAgeCollector
        from visits.middleware import record
        from visits.personal_data import SECTION
        from visits.useragents import warm_up

        register(SECTION)
        # A page cache hit is a page view too; its first one with consent sets the visitor id.
        pagecache.register(on_hit=record, cookies=[VISITOR_COOKIE])
        warmup.step(warm_up)
        metrics.register_scrape_collector(RollupAgeCollector())
