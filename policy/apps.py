from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("Sekretesspolicy")

    def ready(self):
        from accounts.registry import PersonalDataSection, register
        from policy import personal_data

        register(
            PersonalDataSection(
                key="policy_acknowledgements",
                title=_("Sekretesspolicyn"),
                collect=personal_data.collect_acknowledgements,
                delete=personal_data.delete_acknowledgements,
                template="policy/_my_data.html",
            )
        )
