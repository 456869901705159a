from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("Sekretesspolicy")

    def ready(self):
        from accounts.registry import register
        from core import warmup
        from core.cookies import declare
        from pagecache import store as pagecache
        from policy import (
            services,
            signals,  # noqa: F401 (connects its receivers)
        )
        from policy.cookies import NOTICE_COOKIE
        from policy.personal_data import SECTION

        declare(NOTICE_COOKIE)
        register(SECTION)
        # Every page names the versions in effect, and shows the notice of a new major version
        # to a visitor who chose under an older one until the browser closed it.
        pagecache.register(key_part=lambda request: services.in_effect(request).versions_key)
        pagecache.register(key_part=services.notice_inputs)
        warmup.templates("policy/version.html", "policy/archive.html", "policy/diff.html")
