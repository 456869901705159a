from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("Sekretesspolicy")

    def ready(self):
        from accounts.registry import register
        from core import warmup
        from pagecache import store as pagecache
        from policy import (
            services,
            signals,  # noqa: F401 (connects its receivers)
        )
        from policy.personal_data import SECTION

        register(SECTION)
        # Every page shows the notice of a new major version until the browser closed it.
        pagecache.register(key_part=lambda request: services.in_effect(request)["stamp"])
        pagecache.register(key_part=services.dismissed_notice)
        warmup.templates("policy/version.html", "policy/archive.html", "policy/diff.html")
