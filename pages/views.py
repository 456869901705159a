"""The public pages: home, about and contact."""

import re

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pagecache.store import cacheable


@cacheable()
@require_safe
def home(request):
    return render(request, "pages/home.html")


def _company():
    """The company facts that are set; unset ones are left out of the pages."""
    phone = settings.COMPANY_PHONE
    return {
        "phone": phone,
        "phone_uri": "tel:" + re.sub(r"[^0-9+]", "", phone) if phone else "",
        "org_number": settings.COMPANY_ORG_NUMBER,
    }


@cacheable()
@require_safe
def about(request):
    return render(request, "pages/about.html", {"company": _company()})


@cacheable()
@require_safe
def contact(request):
    return render(request, "pages/contact.html", {"company": _company()})
