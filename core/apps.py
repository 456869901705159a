from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app may use; imports no other app of the project."""

    name = "core"
    verbose_name = "Centiro"

    def ready(self):
        from core.cookies import CSRF_COOKIE, SESSION_COOKIE, declare

        declare(SESSION_COOKIE)
        declare(CSRF_COOKIE)
