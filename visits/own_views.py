""" "Dina besök": a visitor sees, downloads and erases the visits stored under their own id.

Only the browser holding the id cookie can reach them (the id is random: it cannot be guessed).
The pages are personal: never cached (not in the page cache's list, and `no-store`), the form
carries Django's CSRF token.
"""

import json

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from consent import state as consent
from consent.cookies import STATISTICS
from core.net import client_ip
from core.ratelimit import hit as ratelimit_hit
from core.ratelimit import ratelimit, too_many_requests
from visits import own, visitor_cookie

# A person erases once or twice; a script would only fill the day's count.
RATE_LIMIT = 10
RATE_PERIOD = 600
# Plenty for a person, a bound for a script reading the page in a loop.
READ_LIMIT = 30
ERASED = ("raderat", "1")


def _too_many_reads(request):
    if ratelimit_hit("own_visits", client_ip(request), limit=READ_LIMIT, period=RATE_PERIOD):
        return None
    return too_many_requests(request, RATE_PERIOD)


@never_cache
@require_safe
def page(request):
    if refused := _too_many_reads(request):
        return refused
    mine = own.collect(visitor_cookie.read(request))
    return render(
        request,
        "visits/own.html",
        {
            "own": mine,
            "consents": consent.get(request).allows(STATISTICS),
            "erased": request.GET.get(ERASED[0]) == ERASED[1],
            "arrives_within": own.ARRIVES_WITHIN_MINUTES,
            "hide_cookie_banner": True,
        },
    )


@never_cache
@require_safe
def export(request):
    if refused := _too_many_reads(request):
        return refused
    mine = own.collect(visitor_cookie.read(request))
    response = HttpResponse(
        json.dumps(own.as_json(mine), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = _("mina-besok.json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_POST
@ratelimit("erase_visits", client_ip, limit=RATE_LIMIT, period=RATE_PERIOD)
def erase(request):
    response = redirect(f"{reverse('own_visits:page')}?{'='.join(ERASED)}")
    own.erase_and_replace(request, response)
    return response
