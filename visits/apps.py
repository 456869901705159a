from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Besöksstatistik")

    def ready(self):
        from accounts.registry import register
        from visits.personal_data import SECTION

        register(SECTION)
