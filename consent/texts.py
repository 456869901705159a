"""The texts a visitor is shown before choosing, and the revision hash that names them.

The banner's texts live here, not in the template, so the texts stored as proof
(ConsentTextRevision) are exactly the texts rendered.
"""

import functools
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from consent.cookies import CATEGORIES
from core.cookies import declaration

BANNER = {
    "heading": _("Kakor på centiro.se"),
    "intro": _(
        "Om du godkänner det sätter vi en enda valfri kaka: ett slumpmässigt id som bara "
        "används för att räkna besök på våra sidor, inget annat. Ingenting delas med tredje part."
    ),
    "choice": _(
        "Nödvändiga kakor behövs för att webbplatsen ska fungera. Statistikkakan sätter vi "
        "bara om du godkänner den, och du kan ändra eller återkalla ditt val när som helst."
    ),
    "gpc": _(
        "Din webbläsare skickar signalen Global Privacy Control (GPC). Vi respekterar den: "
        "statistikkakor förblir avstängda om du inte själv väljer dem."
    ),
    "policy_link": _("Sekretesspolicy"),
    "cookies_link": _("Vilka kakor vi använder"),
    "accept_all": _("Godkänn alla"),
    "necessary_only": _("Endast nödvändiga"),
    "settings": _("Inställningar"),
}


@dataclass(frozen=True)
class Revision:
    revision: str
    texts: dict


def _texts_in(language):
    with translation.override(language):
        return {
            "banner": {key: str(text) for key, text in BANNER.items()},
            "categories": [
                {"key": c.key, "name": str(c.name), "description": str(c.description)}
                for c in CATEGORIES
            ],
            "cookies": [
                {
                    "name": c.name,
                    "category": c.category,
                    "purpose": str(c.purpose),
                    "party": str(c.party),
                    "lifetime": str(c.lifetime),
                    "data": str(c.data),
                }
                for c in declaration()
            ],
        }


@functools.cache
def current_revision():
    """The banner texts and the declaration in every language, and their SHA-256."""
    texts = {code: _texts_in(code) for code, _name in settings.LANGUAGES}
    canonical = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Revision(hashlib.sha256(canonical.encode()).hexdigest(), texts)
