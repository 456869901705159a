from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Besöksstatistik")

    def ready(self):
        from accounts.registry import PersonalDataSection, register
        from visits import services

        register(
            PersonalDataSection(
                key="visits",
                title=_("Besök kopplade till kontot"),
                collect=services.linked_visits,
                delete=services.unlink_visits,
                on_visit_link_revoked=services.unlink_visits,
                template="visits/personal_data.html",
            )
        )
