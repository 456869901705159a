"""The cookie settings page and the consent POST endpoint (banner and settings forms)."""

from urllib.parse import urlencode

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from consent import signals
from consent import state as consent
from consent.cookies import CATEGORIES, NECESSARY, STATISTICS, cookies_in, optional_categories
from core.crossorigin import protect_without_token
from core.net import client_ip, safe_next
from core.ratelimit import ratelimit
from pagecache.store import cacheable

Action = consent.Action
SETTINGS = "settings"

# Generous for people (a handful of clicks), tight for scripts filling the table.
RATE_LIMIT = 30
RATE_PERIOD = 600


class ConsentForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[(action.value, action.label) for action in Action]
        + [(SETTINGS, _("Inställningar"))],
    )
    categories = forms.MultipleChoiceField(
        label=_("Kakor du godkänner"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(category.key, category.name) for category in optional_categories()],
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    # Only the withdraw form offers it (ticked); a form without the box never erases.
    erase_visits = forms.BooleanField(label=_("Radera också mina besök"), required=False)


@protect_without_token
@require_POST
@ratelimit("consent", client_ip, limit=RATE_LIMIT, period=RATE_PERIOD)
def choose(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, form, status=400)
    next_url = safe_next(request, form.cleaned_data["next"], reverse("home"))
    choice = form.cleaned_data["choice"]
    if choice == SETTINGS:
        return redirect(f"{reverse('consent:cookies')}?{urlencode({'next': next_url})}")
    state = consent.choose(request, choice, form.cleaned_data["categories"])
    response = HttpResponseRedirect(consent.confirming(next_url))  # a URL, never a view name
    consent.remember(response, state)
    if not state.allows(STATISTICS):
        signals.statistics_refused.send(
            sender=None,
            request=request,
            response=response,
            erase_visits=form.cleaned_data["erase_visits"],
        )
    return response


# Once chosen, the page shows the visitor's consent id.
@cacheable(when=lambda request: not consent.get(request).chosen, params=["next"])
@require_safe
def cookies(request):
    state = consent.get(request)
    next_url = safe_next(request, request.GET.get("next"), request.path)
    chosen = sorted(state.categories - {NECESSARY}) if state.chosen else []
    form = ConsentForm(
        initial={
            "choice": Action.CUSTOM,
            "categories": chosen,
            "next": next_url,
            "erase_visits": True,
        }
    )
    return _settings_page(request, form)


def _settings_page(request, form, status=200):
    state = consent.get(request)
    response = render(
        request,
        "consent/cookies.html",
        {
            "form": form,
            "state": state,
            "chosen_names": [c.name for c in CATEGORIES if state.allows(c.key)],
            "can_withdraw": any(state.allows(c.key) for c in optional_categories()),
            "categories": [(category, cookies_in(category.key)) for category in CATEGORIES],
            "hide_cookie_banner": True,
        },
        status=status,
    )
    # Personal once the page shows a consent id; before a choice it is the same for everyone.
    if state.chosen or form.is_bound:
        patch_cache_control(response, private=True, no_store=True)
    return response
