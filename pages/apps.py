from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The public pages, robots.txt, security.txt and the sitemap; nothing imports it."""

    name = "pages"

    def ready(self):
        from core import warmup

        warmup.templates("pages/home.html", "pages/about.html", "pages/contact.html")
