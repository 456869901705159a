"""The policy app's cookie: the change notice a browser closed (policy/services.py)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.cookies import NECESSARY, Cookie

NOTICE_COOKIE = Cookie(
    name="centiro_notice",
    category=NECESSARY,
    purpose=_(
        "Kommer ihåg att du har stängt meddelandet om en ändrad sekretesspolicy, "
        "så att det inte visas igen."
    ),
    data=_("Numret på den policyversion vars meddelande du stängde."),
    lifetime=_("Så länge meddelandet visas, högst 30 dagar"),
    max_age=timedelta(days=30),
    position=50,
)
