"""Country names in the order a reader of the page's language expects.

django-countries sorts with the accents stripped, so "Åland" sorts as "Aland", under A. In
Swedish å, ä and ö are letters of their own after z (and æ, ø, ü are read as ä, ö, y); other
accented letters sort with their base letter (é with e)."""

import unicodedata

from django.utils.translation import get_language
from django_countries import countries

# Beyond "z" in code point order, in the Swedish alphabet's order.
SWEDISH_LETTERS = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}


def _base_letters(text):
    return "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )


def swedish_key(text):
    """A sort key that orders `text` as a Swedish dictionary does (case aside)."""
    return "".join(SWEDISH_LETTERS.get(char) or _base_letters(char) for char in text.casefold())


def sorted_countries():
    """(code, name) for every country, in the active language's order."""
    if (get_language() or "").startswith("sv"):
        return sorted(
            ((code, str(name)) for code, name in countries), key=lambda c: swedish_key(c[1])
        )
    return [(code, str(name)) for code, name in countries]
