from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The anonymous page cache."""

    name = "pagecache"
