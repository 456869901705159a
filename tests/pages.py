"""The public pages as the tests visit them: (URL name, kwargs), for anyone without an account.

Read from the views' own declarations (`@cacheable`: the pages the same for every anonymous
visitor), with an example argument for those that take one.
"""

from core.declarations import views_marked

EXAMPLE_KWARGS = {"policy:version": {"number": 1}}
# Compares two versions: the tests that need it publish a second one and add it themselves.
NEEDS_SETUP = {"policy:diff"}

PUBLIC_PAGES = [
    (name, EXAMPLE_KWARGS.get(name, {}))
    for name in views_marked("page_cache")
    if name not in NEEDS_SETUP
]
