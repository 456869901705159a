"""The one place where apps declare the personal data they keep about a user.

The "my data" page, the JSON export and account deletion read this registry, so
accounts never imports other apps. Each app declares its section in its
`personal_data.py` (as SECTION) and registers it in one line of AppConfig.ready().
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalDataSection:
    key: str  # stable key in the JSON export
    title: str  # translated heading on the "my data" page (use gettext_lazy)
    collect: Callable  # collect(user) -> JSON-serialisable data (ISO-8601 times)
    delete: Callable  # delete(user) -> None; runs inside the deletion transaction
    template: str = ""  # optional template rendering `data` on the "my data" page
    # on_visit_link_revoked(user) -> None: called when the user turns off "link my visit
    # history to my account", inside the same transaction (e.g. removes their visitor links).
    on_visit_link_revoked: Callable | None = None
    # on_account_deleted(response) -> None: may change the response that tells the browser the
    # account is gone (e.g. close a notice that no longer concerns them).
    on_account_deleted: Callable | None = None


def deleting(*models):
    """A section's `delete`: removes the user's rows of `models` (each with a `user` field),
    in the order given."""

    def delete(user):
        for model in models:
            model.objects.filter(user=user).delete()

    return delete


_sections: dict[str, PersonalDataSection] = {}


def register(section):
    if section.key in _sections:
        raise ValueError(f"Personal data section {section.key!r} is registered twice.")
    _sections[section.key] = section


def sections():
    return list(_sections.values())


@contextmanager
def override(*replacements):
    """For tests: only `replacements` are registered inside the block, then the real ones again."""
    saved = dict(_sections)
    _sections.clear()
    try:
        for section in replacements:
            register(section)
        yield
    finally:
        _sections.clear()
        _sections.update(saved)
