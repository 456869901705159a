from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts.services import can_use_admin


def staff_mfa_required(view):
    """Active staff who passed a second factor in this session, as the admin requires.

    Anyone else is sent to the admin's login, which goes through allauth.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_use_admin(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapped
