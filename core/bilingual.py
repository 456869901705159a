"""One rule for the models that keep a Swedish and an English value of a field.

Swedish is the original: English is shown when the language is English and the English
value is filled in; everything else gets the Swedish value.
"""

from django.conf import settings
from django.utils.translation import get_language


def in_language(obj, field, language=None):
    """`obj`'s `field` in `language` (default: the active one).

    The values are `{field}_sv` and `{field}_en`; a `field` holding `{}` names where the
    language code goes instead (`"body_{}_html"`).
    """
    pattern = field if "{}" in field else f"{field}_{{}}"
    if (language or get_language() or settings.LANGUAGE_CODE).startswith("en"):
        english = getattr(obj, pattern.format("en"))
        if english:
            return english
    return getattr(obj, pattern.format("sv"))


def bilingual(field):
    """A read-only property giving `field` in the active language: `name = bilingual("name")`."""
    return property(lambda obj: in_language(obj, field), doc=f"{field} in the active language")
