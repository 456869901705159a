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
        from visits.collectors import RollupAgeCollector
        from visits.own import on_statistics_refused
        from visits.personal_data import SECTION
        from visits.useragents import warm_up
        from visits.visitor_cookie import VISITOR_COOKIE

        declare(VISITOR_COOKIE)
        register(SECTION)
        statistics_refused.connect(on_statistics_refused, dispatch_uid="visits.erase_on_refusal")
        warmup.step(warm_up)
        metrics.register_scrape_collector(RollupAgeCollector())
