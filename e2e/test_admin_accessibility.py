"""axe-core at WCAG 2.2 AA on the admin staff use: every list, a change form of each of the
site's own models, and the policy's draft tools (preview, diff, publish)."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.tests.mfa import sign_in_staff
from e2e.site import share_session
from policy.models import PolicyVersion
from registrations.models import LicenceKey, Product, Resource

SITE_APPS = {"accounts", "policy", "consent", "registrations"}


def admin_addresses():
    """The index, every registered model's list, and each site model's first change form."""
    addresses = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        addresses.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if model._meta.app_label in SITE_APPS and first is not None:
            addresses.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[first.pk]))
    return addresses


@pytest.mark.parametrize("width", [1280, 390])
def test_the_admin_meets_wcag_22_aa(
    page, context, live_server, staff_user, assert_accessible, width
):
    product = Product.objects.create(name_sv="Centiro Lager", name_en="Centiro Warehouse")
    LicenceKey.objects.create(product=product, key="ABCD1234EFGH5678")
    Resource.objects.create(title_sv="Guide", title_en="Guide", body_sv="Text.", body_en="Text.")
    draft = PolicyVersion.objects.create(
        body_sv="Utkast.\n\n## Rubrik\n\nNy text.", body_en="Draft."
    )
    share_session(context, live_server, sign_in_staff(Client(), staff_user))
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})

    tools = [
        reverse(f"admin:policy_policyversion_{tool}", args=[draft.pk])
        for tool in ("preview", "diff", "publish")
    ]
    failures = []
    for address in [*admin_addresses(), *tools]:
        assert page.goto(live_server.url + address).status == 200, address
        try:
            assert_accessible(page)
        except AssertionError as failure:
            failures.append(f"{address}: {failure}")
    assert not failures, "\n\n".join(failures)
