"""Whole-page cache for anonymous visitors: what is cached, under which key, and where.

A view declares itself cacheable where it is defined (`@cacheable`), with the query parameters
it reads and, if any, the condition under which its body is the same for every anonymous visitor.
Each app declares in its `ready()` what the bodies of its pages depend on (`register()`): a key
part (the consent state, the policy stamp, …), query parameters every page reads (the consent
confirmation), and what it adds to every answer (the visit, the deletion of a leftover visitor
id) with the cookies that adds. The key is every part at once; nothing is ever invalidated by
deleting: a changed stamp, revision or release id changes the key.

Pages are kept in this process's memory and in the shared cache (Redis), which holds at most
`SLOTS` page entries (one key per slot, overwritten by the next page hashed into it) of at most
`MAX_BYTES` each, so no request pattern can fill the Redis that holds sessions and rate limits.
"""

import hashlib
from typing import NamedTuple
from urllib.parse import parse_qsl

from django.core.cache import caches
from django.utils import translation

from core import release

LOCAL = "pages"
SHARED = "default"
TIMEOUT = 60 * 60
SLOTS = 4096
MAX_BYTES = 256 * 1024


class Cacheable(NamedTuple):
    when: object
    params: frozenset


def cacheable(when=None, params=()):
    """Mark a view whose body, for anonymous visitors, depends only on the key's parts and the
    query parameters `params`; `when(request)` says whether it does for this request."""

    def mark(view):
        view.page_cache = Cacheable(when, frozenset(params))
        return view

    return mark


_key_parts = []
_params = set()
_on_hit = []
_cookies = set()


def register(key_part=None, params=(), on_hit=None, cookies=()):
    """Declared by an app in `ready()`: see the module's docstring."""
    if key_part is not None and key_part not in _key_parts:
        _key_parts.append(key_part)
    if on_hit is not None and on_hit not in _on_hit:
        _on_hit.append(on_hit)
    _params.update(params)
    _cookies.update(cookies)


def known_query(query_string, declared):
    """True when every parameter of the query is one the page reads: only those are cached."""
    return all(
        name in _params or name in declared
        for name, _value in parse_qsl(query_string, keep_blank_values=True)
    )


def hashed(parts):
    return hashlib.sha256("\n".join(str(part) for part in parts).encode()).hexdigest()


def key_for(request, language=None):
    """Everything the body of a cacheable page depends on. The path and query are the request's
    own: the banner and the language switcher link back to both."""
    parts = [
        request.get_full_path(),
        f"{request.scheme}://{request.get_host()}",
        language or translation.get_language(),
        release.release_id(),
    ]
    return "page:" + hashed(parts + [part(request) for part in _key_parts])


def on_hit(request, response):
    for add in _on_hit:
        add(request, response)


def storable(response, cookies_set):
    """A 200 that the view meant for anyone: no cookie but those `on_hit` adds, not private."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and set(cookies_set) <= _cookies
        and "no-store" not in cache_control
        and "private" not in cache_control
        and len(response.content) <= MAX_BYTES
    )


def _slot(key):
    return f"page:slot:{int(key[-8:], 16) % SLOTS}"


def get(key, timeout=TIMEOUT):
    """What `put()` stored under `key`, from this process's memory or else the shared cache."""
    entry = caches[LOCAL].get(key)
    if entry is None:
        found = caches[SHARED].get(_slot(key))
        if found is None or found[0] != key:
            return None
        entry = found[1]
        caches[LOCAL].set(key, entry, timeout)
    return entry


def put(key, entry, timeout=TIMEOUT):
    caches[LOCAL].set(key, entry, timeout)
    caches[SHARED].set(_slot(key), (key, entry), timeout)
