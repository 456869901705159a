"""The consent app's cookie (the visitor's choice) and the categories visitors choose among.

Every app declares its own cookies (core/cookies.py); the cookie settings page and the banner's
proof texts (their revision hash) list them by category from that declaration.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.cookies import NECESSARY, STATISTICS, Cookie, declaration


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    description: str
    optional: bool


CATEGORIES = (
    Category(
        NECESSARY,
        _("Nödvändiga"),
        _(
            "Behövs för att webbplatsen ska fungera: inloggning, skydd mot förfalskade "
            "formulär och att komma ihåg ditt val om kakor och vilka meddelanden du har stängt. "
            "De kan inte stängas av."
        ),
        optional=False,
    ),
    Category(
        STATISTICS,
        _("Statistik"),
        _(
            "Ett slumpmässigt besökar-id som låter oss räkna hur många olika besökare som "
            "läser våra sidor. Det kopplas aldrig till ditt konto utan att du själv väljer det."
        ),
        optional=True,
    ),
)

CONSENT_COOKIE = Cookie(
    name="centiro_consent",
    category=NECESSARY,
    purpose=_("Kommer ihåg ditt val om kakor så att vi inte frågar igen på varje sida."),
    data=_(
        "Ett slumpmässigt samtyckes-id, de kategorier du valt, policyversion, "
        "textversion och tidpunkt, signerat mot ändringar."
    ),
    lifetime=_("12 månader"),
    max_age=timedelta(days=366),
    position=10,
)


def cookies_in(category):
    return [cookie for cookie in declaration() if cookie.category == category]


def optional_categories():
    return [category for category in CATEGORIES if category.optional]
