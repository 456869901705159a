"""A staff member changes the privacy policy; a visitor then reads the new one and the old one."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.mfa import sign_in_staff
from e2e.site import share_session
from policy.models import PolicyVersion

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_draft_preview_diff_and_publish_then_a_visitor_reads_it(
    browser, context, page, live_server, staff_user, assert_accessible
):
    share_session(context, live_server, sign_in_staff(Client(), staff_user))
    page.goto(live_server.url + reverse("admin:policy_policyversion_changelist"))

    # The seeded version 2 draft is open: staff are told so, and discard it to start again.
    seeded = PolicyVersion.objects.get(number=2)
    assert page.get_by_role("button", name="Nytt utkast från gällande version").count() == 0
    assert "Version 2 är ett öppet utkast" in page.locator(".open-draft").inner_text()
    page.get_by_role("link", name="Kassera utkastet").click()
    page.get_by_role("button", name="Ja, jag är säker").click()
    assert not PolicyVersion.objects.filter(pk=seeded.pk).exists()

    page.get_by_role("button", name="Nytt utkast från gällande version").click()
    draft = PolicyVersion.objects.get(number=2, status="draft")
    page.wait_for_url(f"**{reverse('admin:policy_policyversion_change', args=[draft.pk])}")
    new_sentence = "Vi sparar dina uppgifter bara så länge de behövs."
    page.fill("#id_body_sv", draft.body_sv.replace("Läs igenom hela denna policy.", new_sentence))
    page.fill("#id_change_summary_sv", "Ny mening om lagringstid.")
    page.locator("input[name=_continue]").click()
    page.get_by_role("link", name="Förhandsvisa").first.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Sekretesspolicy"
    assert new_sentence in page.locator("article").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Jämför med gällande version").first.click()
    assert new_sentence in page.locator(".diff ins").first.inner_text()
    assert "Läs igenom hela denna policy." in page.locator(".diff del").first.inner_text()

    page.get_by_role("link", name="Publicera").first.click()
    page.get_by_role("button", name="Ja, publicera").click()
    page.wait_for_url(f"**{reverse('admin:policy_policyversion_changelist')}")
    assert "Version 2 är publicerad" in page.locator(".messagelist").inner_text()

    visitor = browser.new_context(locale="sv-SE").new_page()
    visitor.goto(live_server.url + reverse("policy:current"))
    assert new_sentence in visitor.locator("article").inner_text()

    visitor.get_by_role("link", name="Tidigare versioner").click()
    assert "Ny mening om lagringstid." in visitor.locator("main").inner_text()
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Jämför version 1 och 2").click()
    summary = visitor.get_by_role("navigation", name="1 av 8 avsnitt har ändrats")
    summary.get_by_role("link", name="Inledning").click()
    assert visitor.url.endswith("#andring-inledning")
    assert new_sentence in visitor.locator(".diff-new ins").first.inner_text()
    assert "Läs igenom hela denna policy." in visitor.locator(".diff-old del").first.inner_text()
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Alla versioner").click()
    visitor.get_by_role("link", name="Version 1", exact=True).click()
    article = visitor.locator("article").inner_text()
    assert "som inte längre gäller" in article
    assert "Läs igenom hela denna policy." in article
    assert "Senast uppdaterad: februari 2016." in article
    assert_accessible(visitor)
    visitor.context.close()
