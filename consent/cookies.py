"""The cookie declaration: every cookie the site can set, declared once.

The cookie settings page, the banner's proof texts (their revision hash) and the
test that no undeclared cookie is ever set all read from here. Adding or
changing a cookie or a purpose changes the revision, so visitors are asked again.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

NECESSARY = "necessary"
STATISTICS = "statistics"


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    description: str
    optional: bool


@dataclass(frozen=True)
class Cookie:
    name: str
    category: str
    purpose: str
    data: str
    lifetime: str
    # The longest the site ever sets it for; None means until the browser closes.
    max_age: timedelta | None
    party: str = _("Förstapart (Centiro)")


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

CONSENT_COOKIE = "centiro_consent"
VISITOR_COOKIE = "centiro_vid"
DEVICE_COOKIE = settings.DEVICE_COOKIE_NAME

DECLARATION = (
    Cookie(
        name=CONSENT_COOKIE,
        category=NECESSARY,
        purpose=_("Kommer ihåg ditt val om kakor så att vi inte frågar igen på varje sida."),
        data=_(
            "Ett slumpmässigt samtyckes-id, de kategorier du valt, policyversion, "
            "textversion och tidpunkt, signerat mot ändringar."
        ),
        lifetime=_("12 månader"),
        max_age=timedelta(days=366),
    ),
    Cookie(
        name=settings.SESSION_COOKIE_NAME,
        category=NECESSARY,
        purpose=_("Håller dig inloggad och bär tillfälliga meddelanden mellan sidor."),
        data=_("Ett slumpmässigt sessions-id; uppgifterna finns bara på vår server."),
        lifetime=_("Högst 2 veckor; tills du stänger webbläsaren om du inte väljer ”Kom ihåg mig”"),
        max_age=timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ),
    Cookie(
        name=settings.CSRF_COOKIE_NAME,
        category=NECESSARY,
        purpose=_("Skyddar formulären mot förfalskade anrop från andra webbplatser (CSRF)."),
        data=_("En slumpmässig säkerhetsnyckel."),
        lifetime=_("1 år"),
        max_age=timedelta(seconds=settings.CSRF_COOKIE_AGE),
    ),
    Cookie(
        name=DEVICE_COOKIE,
        category=NECESSARY,
        purpose=_(
            "Visar att webbläsaren har loggat in på kontot förut, så att någon som gissar "
            "lösenord på annat håll inte kan spärra dig från att logga in."
        ),
        data=_("Ett signerat kontrollvärde beräknat från e-postadressen, inte adressen själv."),
        lifetime=_("1 år"),
        max_age=timedelta(days=365),
    ),
    Cookie(
        name=settings.POLICY_NOTICE_COOKIE_NAME,
        category=NECESSARY,
        purpose=_(
            "Kommer ihåg att du har stängt meddelandet om en ändrad sekretesspolicy, "
            "så att det inte visas igen."
        ),
        data=_("Numret på den policyversion vars meddelande du stängde."),
        lifetime=_("Så länge meddelandet visas, högst 30 dagar"),
        max_age=timedelta(days=30),
    ),
    Cookie(
        name=VISITOR_COOKIE,
        category=STATISTICS,
        purpose=_("Räknar hur många olika besökare som läser våra sidor."),
        data=_("Ett slumpmässigt besökar-id, utan koppling till ditt namn eller konto."),
        lifetime=_("Så länge ditt samtycke gäller, högst 12 månader"),
        max_age=timedelta(days=366),
    ),
)


def declared(name):
    """The declared cookie called `name`, or None."""
    return next((cookie for cookie in DECLARATION if cookie.name == name), None)


def cookies_in(category):
    return [cookie for cookie in DECLARATION if cookie.category == category]


def optional_categories():
    return [category for category in CATEGORIES if category.optional]
