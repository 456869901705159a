import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.tests.mfa import sign_in_staff
from policy import services
from policy.models import PolicyAcceptance, PolicyVersion

pytestmark = pytest.mark.django_db


def admin_url(name, *args):
    return reverse(f"admin:policy_policyversion_{name}", args=args)


@pytest.fixture
def editor(django_user_model):
    """Staff who may edit drafts but not publish them."""
    editor = django_user_model.objects.create_user(
        email="redaktor@centiro.se", password="redaktorens-lösenord-2016", is_staff=True
    )
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="policy",
            codename__in=["add_policyversion", "change_policyversion", "view_policyversion"],
        )
    )
    return editor


def test_staff_create_a_new_draft_from_the_current_version(
    staff_client, staff_user, policy_version
):
    PolicyVersion.objects.open_draft().delete()
    changelist = staff_client.get(admin_url("changelist"))
    assert f'action="{admin_url("new_draft")}"' in changelist.content.decode()

    response = staff_client.post(admin_url("new_draft"))

    draft = PolicyVersion.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == admin_url("change", draft.pk)
    assert draft.status == PolicyVersion.Status.DRAFT
    assert draft.body_sv == policy_version.body_sv
    assert draft.created_by == staff_user


def test_staff_are_warned_of_the_open_draft_and_continue_or_discard_it(staff_client):
    draft = PolicyVersion.objects.open_draft()  # the seeded version 2

    changelist = staff_client.get(admin_url("changelist")).content.decode()

    assert f'action="{admin_url("new_draft")}"' not in changelist
    assert "Version 2 är ett öppet utkast" in changelist
    assert f'href="{admin_url("change", draft.pk)}"' in changelist
    assert f'href="{admin_url("delete", draft.pk)}"' in changelist
    for url in (admin_url("new_draft"), admin_url("add")):
        response = staff_client.post(url, follow=True)
        assert response.redirect_chain[-1][0] == admin_url("change", draft.pk)
        assert "Version 2 är redan ett öppet utkast" in response.content.decode()
    assert PolicyVersion.objects.filter(status="draft").count() == 1

    staff_client.post(admin_url("delete", draft.pk), {"post": "yes"})
    staff_client.post(admin_url("new_draft"))

    assert PolicyVersion.objects.get(status="draft").number == 2


def test_a_new_draft_needs_a_post(staff_client):
    assert staff_client.get(admin_url("new_draft")).status_code == 405


def test_staff_edit_a_draft(staff_client, make_draft):
    draft = make_draft()
    form = {
        "title_sv": "Sekretesspolicy",
        "title_en": "Privacy policy",
        "body_sv": "Redigerad text.",
        "body_en": "Edited text.",
        "change_summary_sv": "",
        "change_summary_en": "",
    }

    response = staff_client.post(admin_url("change", draft.pk), form)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body_sv_html == "<p>Redigerad text.</p>"


def test_a_published_version_is_shown_read_only_and_cannot_be_deleted(staff_client, policy_version):
    page = staff_client.get(admin_url("change", policy_version.pk))
    assert page.status_code == 200
    assert 'name="body_sv"' not in page.content.decode()
    assert "Centiro värnar om din integritet" in page.content.decode()

    post = staff_client.post(
        admin_url("change", policy_version.pk), {"body_sv": "Ändrat."}, follow=True
    )
    assert "En publicerad version kan inte ändras." in post.content.decode()
    assert (
        staff_client.post(admin_url("delete", policy_version.pk), {"post": "yes"}).status_code
        == 403
    )
    policy_version.refresh_from_db()
    assert "Centiro värnar om din integritet" in policy_version.body_sv


def test_the_preview_shows_the_draft_on_the_public_page_template(staff_client, make_draft):
    draft = make_draft(body_sv="## Ny rubrik\n\nFörhandsvisad text.", body_en="Previewed text.")

    sv = staff_client.get(admin_url("preview", draft.pk))
    en = staff_client.get(admin_url("preview", draft.pk), {"language": "en"})

    assert "policy/version.html" in [t.name for t in sv.templates]
    assert "<h2>Ny rubrik</h2>" in sv.content.decode()
    assert '<html lang="sv">' in sv.content.decode()
    assert "Previewed text." in en.content.decode()
    assert '<html lang="en">' in en.content.decode()


def test_the_admin_diff_compares_the_draft_with_the_current_version(staff_client, make_draft):
    draft = make_draft(body_sv="Bara en mening.")

    response = staff_client.get(admin_url("diff", draft.pk))

    html = response.content.decode()
    assert "<p><ins>Bara en mening.</ins></p>" in html
    assert '<a href="#andring-kontakt">Kontakt</a> <span class="diff-status">' in html


def test_publishing_asks_for_confirmation_then_publishes_and_logs(
    staff_client, staff_user, make_draft
):
    draft = make_draft()
    today = timezone.localdate()

    confirmation = staff_client.get(admin_url("publish", draft.pk))
    assert confirmation.status_code == 200
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.DRAFT

    response = staff_client.post(admin_url("publish", draft.pk), {"effective_date": today})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.PUBLISHED
    assert draft.published_by == staff_user
    entry = LogEntry.objects.get(object_id=str(draft.pk), action_flag=CHANGE)
    assert entry.user == staff_user
    assert str(draft.number) in entry.get_change_message()
    # The admin's history names the version as staff know it, whatever is later deleted.
    assert entry.object_repr == f"Sekretesspolicy v{draft.number}"


def test_publishing_takes_effect_on_the_site_at_once(
    staff_client, make_draft, django_capture_on_commit_callbacks
):
    draft = make_draft(body_sv="Den nya policyn.")
    assert services.current_version().number == 1  # warms the cache

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(admin_url("publish", draft.pk), {"effective_date": timezone.localdate()})

    assert services.current_version() == draft
    assert "Den nya policyn." in staff_client.get(reverse("policy:current")).content.decode()


def test_publishing_needs_the_publish_permission(client, editor, make_draft):
    sign_in_staff(client, editor)
    draft = make_draft()

    assert client.get(admin_url("change", draft.pk)).status_code == 200
    assert client.get(admin_url("publish", draft.pk)).status_code == 403
    response = client.post(admin_url("publish", draft.pk), {"effective_date": timezone.localdate()})

    assert response.status_code == 403
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.DRAFT


@pytest.mark.parametrize(
    ("body_sv", "effective_date", "error"),
    [
        ("", "today", "En version utan svensk text kan inte publiceras."),
        ("Text.", dt.date(2016, 1, 1), "Datumet kan inte ligga i det förflutna."),
        ("Text.", "", "Ange från vilket datum versionen gäller."),
        ("Text.", dt.date(9999, 12, 31), "Datumet kan ligga högst ett år fram i tiden."),
    ],
)
def test_publishing_bad_input_shows_an_error_and_changes_nothing(
    staff_client, make_draft, body_sv, effective_date, error
):
    draft = make_draft(body_sv=body_sv)
    if effective_date == "today":
        effective_date = timezone.localdate()

    response = staff_client.post(admin_url("publish", draft.pk), {"effective_date": effective_date})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.DRAFT
    assert not LogEntry.objects.filter(object_id=str(draft.pk)).exists()


def test_publishing_before_the_latest_version_is_refused(staff_client, make_draft, publish):
    publish(make_draft(), timezone.localdate() + dt.timedelta(days=10))
    draft = make_draft()

    response = staff_client.post(
        admin_url("publish", draft.pk),
        {"effective_date": timezone.localdate() + dt.timedelta(days=1)},
    )

    assert "Datumet kan inte ligga före version" in response.content.decode()
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.DRAFT


def test_a_version_with_a_future_date_is_listed_as_scheduled(staff_client, make_draft, publish):
    publish(make_draft(), timezone.localdate() + dt.timedelta(days=7))

    response = staff_client.get(admin_url("changelist"))

    assert "Schemalagd" in response.content.decode()


def test_the_publish_page_and_its_message_use_the_sites_date_style(staff_client, make_draft):
    draft = PolicyVersion.objects.open_draft()

    page = staff_client.get(admin_url("publish", draft.pk)).content.decode()
    assert "Gällande version är 1, från februari 2016." in page

    today = timezone.localdate()
    response = staff_client.post(
        admin_url("publish", draft.pk), {"effective_date": today}, follow=True
    )

    html = response.content.decode()
    assert f"Version 2 är publicerad och gäller från {date_format(today)}." in html
    assert today.isoformat() not in html
    entry = LogEntry.objects.get(object_id=str(draft.pk), action_flag=CHANGE)
    assert f"gäller från {date_format(today)}" in entry.get_change_message()


def test_staff_can_open_a_customers_acknowledgement(staff_client, user, policy_version):
    acceptance = PolicyAcceptance.objects.create(user=user, version=policy_version)
    url = reverse("admin:policy_policyacceptance_change", args=[acceptance.pk])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert user.email in response.content.decode()
