from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Besöksstatistik")

    def ready(self):
        from accounts.registry import register
        from consent.signals import statistics_refused
        from core import metrics, warmup
        from core.cookies import declare
        from pagecache import store as pagecache
        from visits.collectors import RollupAgeCollector
        from visits.middleware import record
        from visits.own import on_statistics_refused
        from visits.personal_data import SECTION
        from visits.useragents import warm_up
        from visits.visitor_cookie import VISITOR_COOKIE

        declare(VISITOR_COOKIE)
        register(SECTION)
        statistics_refused.connect(on_statistics_refused, dispatch_uid="visits.erase_on_refusal")
        # A page cache hit is a page view too: its first one with consent sets the visitor id,
        # and a leftover id without consent is deleted.
        pagecache.register(on_hit=record, cookies=[VISITOR_COOKIE.name])
        warmup.step(warm_up)
        metrics.register_scrape_collector(RollupAgeCollector())
