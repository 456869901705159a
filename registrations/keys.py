"""Licence keys as people type them, and as we store them.

Keys are printed in groups with dashes and read aloud over the phone, so
customers type them in any case, with or without dashes and spaces. One
function decides what a typed key means; everything else compares the result.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

KEY_PATTERN = re.compile(r"[A-Za-z0-9]{8,64}")

# The same message for a key that is malformed, unknown or revoked, so the form tells
# nobody which keys exist beyond what a registered key tells (registrations/services.py).
GENERIC_KEY_ERROR = _(
    "Licensnyckeln kan inte användas. Kontrollera att du har skrivit av den rätt, "
    "eller kontakta oss om felet kvarstår."
)
# A key someone else registered, typically a colleague: what to do, never who it is.
KEY_REGISTERED_ERROR = _(
    "Licensnyckeln är redan registrerad, oftast av en kollega. Fråga kollegan som "
    "registrerade den, eller kontakta Centiro på info@centiro.se."
)
KEY_REGISTERED_BY_YOU_ERROR = _(
    "Du har redan registrerat den här licensnyckeln. Produkten finns under Mina produkter."
)


def normalise_key(raw):
    """The stored form of a typed key: no spaces or dashes, upper case.

    Raises ValidationError (with the generic message) for anything else.
    """
    compact = str(raw).strip().replace(" ", "").replace("-", "")
    # Checked before upper-casing: "ß".upper() is "SS", which must not become a key.
    if not KEY_PATTERN.fullmatch(compact):
        raise ValidationError(GENERIC_KEY_ERROR, code="invalid_key")
    return compact.upper()


def mask_key(key):
    """Only the last four characters, enough for the owner to recognise a key."""
    return "•" * max(len(key) - 4, 0) + key[-4:]
