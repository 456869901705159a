import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import models
from django.urls import reverse

from accounts import registry
from accounts.models import User
from accounts.registry import PersonalDataSection
from accounts.tests.mfa import record_authentication
from policy.models import PolicyAcceptance

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def rows_mentioning(text):
    """Every row of every table with `text` in a text, char or JSON column."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                lookup = {f"{field.attname}__icontains": text}
                found += [(model.__name__, field.name) for _ in model.objects.filter(**lookup)]
    return found


@pytest.fixture
def reauthenticated(client, verified_user):
    client.force_login(verified_user)
    record_authentication(client, verified_user, ("password", {"reauthenticated": True}))
    return client


@pytest.mark.django_db
def test_delete_asks_to_reauthenticate_first(client, verified_user):
    client.force_login(verified_user)

    response = client.post(reverse("accounts:delete"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=verified_user.pk).exists()


@pytest.mark.django_db
def test_get_shows_the_confirmation_and_deletes_nothing(reauthenticated, user):
    response = reauthenticated.get(reverse("accounts:delete"))

    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
    page = response.content.decode()
    assert '<button class="button-danger" type="submit">Radera mitt konto</button>' in page
    assert "Licensnycklarna du har registrerat kan inte registreras igen" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deletion_leaves_the_email_nowhere_in_the_database(
    reauthenticated, user, staff_user, policy_version
):
    deleted_by_sections = []
    notes = PersonalDataSection(
        key="notes", title="", collect=list, delete=deleted_by_sections.append
    )
    PolicyAcceptance.objects.create(user=user, version=policy_version)
    LogEntry.objects.log_actions(
        user_id=staff_user.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=f"Ändrade land för {user.email}",
        single_object=True,
    )
    assert rows_mentioning(user.email)

    with registry.override(notes):
        response = reauthenticated.post(reverse("accounts:delete"))

    assert response.status_code == 302
    assert [deleted.email for deleted in deleted_by_sections] == [user.email]
    assert rows_mentioning(user.email) == []
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in reauthenticated.session
    (confirmation,) = mail.outbox
    assert confirmation.to == [user.email]
    assert confirmation.subject == "Centiro: ditt konto är raderat"


@pytest.mark.django_db
def test_deletion_is_all_or_nothing(reauthenticated, user):
    def broken_delete(user):
        raise RuntimeError("the registrations table is locked")

    broken = PersonalDataSection(key="broken", title="", collect=list, delete=broken_delete)
    reauthenticated.raise_request_exception = False

    with registry.override(broken):
        response = reauthenticated.post(reverse("accounts:delete"))

    assert response.status_code == 500
    assert User.objects.filter(pk=user.pk).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_confirmation_is_sent_in_the_users_language(
    reauthenticated, user, django_capture_on_commit_callbacks
):
    user.language = "en"
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        reauthenticated.post(reverse("accounts:delete"))

    (confirmation,) = mail.outbox
    assert confirmation.subject == "Centiro: your account has been deleted"
    html, _ = confirmation.alternatives[0]
    assert 'lang="en"' in html


@pytest.mark.django_db
def test_staff_are_deactivated_not_deleted(client, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    record_authentication(client, staff_user, ("password", {"reauthenticated": True}))
    LogEntry.objects.create(
        user=staff_user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(staff_user.pk),
        object_repr="Policy version 2",
        action_flag=CHANGE,
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:delete"))

    staff_user.refresh_from_db()
    assert not staff_user.is_active
    assert not staff_user.has_usable_password()
    assert not staff_user.authenticator_set.exists()
    assert LogEntry.objects.filter(user=staff_user).exists()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_someone_who_has_just_deleted_their_account_is_not_told_of_a_policy_change(
    reauthenticated, verified_user, staff_user, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from consent.tests.consent_utils import choose
    from policy import services
    from policy.models import PolicyVersion

    services.record_shown(verified_user)
    choose(reauthenticated, "necessary_only")  # under version 1
    major = PolicyVersion.objects.create(body_sv="Stor ändring.", is_major=True)
    with django_capture_on_commit_callbacks(execute=True):
        major.publish(by=staff_user, effective_date=timezone.localdate())
    assert 'class="policy-notice"' in reauthenticated.get(reverse("about")).content.decode()

    response = reauthenticated.post(reverse("accounts:delete"), follow=True)

    assert "Ditt konto är raderat" in response.content.decode()
    assert 'class="policy-notice"' not in response.content.decode()
    assert 'class="policy-notice"' not in reauthenticated.get(reverse("about")).content.decode()
