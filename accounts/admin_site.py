"""The admin behind allauth: sign in through allauth, and only with a second factor."""

from allauth.account.utils import get_next_redirect_url
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import can_use_admin, is_mfa_authenticated


def _with_next(url, next_url):
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


class CentiroAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Centiro – administration")
    site_title = gettext_lazy("Centiro – administration")
    index_title = gettext_lazy("Webbplatsens innehåll och inställningar")

    def has_permission(self, request):
        return can_use_admin(request)

    def login(self, request, extra_context=None):
        """Replaces the admin's own login form: every step happens in allauth."""
        next_url = get_next_redirect_url(request) or reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return redirect(_with_next(resolve_url(settings.LOGIN_URL), next_url))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not is_mfa_enabled(user):
            messages.info(
                request, _("Personal måste använda tvåstegsverifiering. Aktivera den här.")
            )
            return redirect("mfa_activate_totp")
        if not is_mfa_authenticated(request):
            return redirect(_with_next(reverse("mfa_reauthenticate"), next_url))
        return redirect(next_url)
