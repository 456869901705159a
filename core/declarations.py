"""What views declare about themselves with a decorator (an attribute on the view), read back."""

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, namespace):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def views_marked(attribute):
    """{URL name: takes URL arguments} of every named view that carries `attribute`, in the
    URLconf's order."""
    return {
        name: bool(pattern.pattern.regex.groups)
        for name, pattern in _walk(get_resolver().url_patterns, "")
        if hasattr(pattern.callback, attribute)
    }
