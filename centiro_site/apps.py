from django.apps import AppConfig


class CentiroSiteConfig(AppConfig):
    name = "centiro_site"
    verbose_name = "Centiro"
