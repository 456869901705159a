"""axe-core at WCAG 2.2 AA on every portal and account page and the statistics page (the
public pages are checked in test_public_pages.py)."""

import pytest

from e2e.site import CUSTOMER_PAGES, address, customer_with_registrations, sign_in, staff_member
from registrations.models import Resource


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signed_in_pages_meet_wcag_22_aa(
    browser, live_server, django_user_model, assert_accessible, language
):
    customer = customer_with_registrations(django_user_model, language)
    resource = Resource.objects.first()
    pages = [
        (customer, [*CUSTOMER_PAGES, ("registrations:resource", [resource.pk])]),
        (staff_member(django_user_model), [("visits:statistics", [])]),
    ]
    for user, names in pages:
        context = browser.new_context()
        sign_in(context, live_server, user, staff=user.is_staff)
        page = context.new_page()
        for name, args in names:
            page.goto(live_server.url + address(name, args, language))
            assert_accessible(page)
        context.close()
