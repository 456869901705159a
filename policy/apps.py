from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("Sekretesspolicy")

    def ready(self):
        from accounts.registry import register
        from core import warmup
        from core.cookies import declare
        from policy import signals  # noqa: F401 (connects its receivers)
        from policy.cookies import NOTICE_COOKIE
        from policy.personal_data import SECTION

        declare(NOTICE_COOKIE)
        register(SECTION)
        warmup.templates("policy/version.html", "policy/archive.html", "policy/diff.html")
