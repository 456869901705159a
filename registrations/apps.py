from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Produktregistreringar")

    def ready(self):
        from accounts.registry import PersonalDataSection, register
        from registrations import personal_data

        register(
            PersonalDataSection(
                key="registrations",
                title=_("Produktregistreringar"),
                collect=personal_data.collect,
                delete=personal_data.delete,
                template="registrations/my_data.html",
            )
        )
