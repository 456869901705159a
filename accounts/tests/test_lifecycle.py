from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def joined(django_user_model):
    def make(email, days_ago, *, verified=False, **fields):
        user = django_user_model.objects.create_user(
            email=email,
            password="ett-långt-lösenord-2016",
            date_joined=timezone.now() - timedelta(days=days_ago),
            **fields,
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


def purge():
    out = StringIO()
    call_command("purge_unverified_accounts", stdout=out)
    return out.getvalue()


def test_accounts_never_verified_within_the_period_are_deleted(joined, django_user_model):
    joined("gammal@example.se", days_ago=8)
    joined("ny@example.se", days_ago=6)
    joined("verifierad@example.se", days_ago=30, verified=True)

    output = purge()

    remaining = set(django_user_model.objects.values_list("email", flat=True))
    assert remaining == {"ny@example.se", "verifierad@example.se"}
    assert "Done: 1 unverified accounts deleted." in output


def test_the_period_comes_from_the_setting(joined, django_user_model, settings):
    settings.UNVERIFIED_ACCOUNT_DAYS = 30
    joined("gammal@example.se", days_ago=8)

    purge()

    assert django_user_model.objects.filter(email="gammal@example.se").exists()


def test_staff_and_people_who_once_signed_in_are_never_purged(joined, django_user_model):
    joined("personal@centiro.se", days_ago=400, is_staff=True)
    joined("admin@centiro.se", days_ago=400, is_superuser=True)
    joined("bytte-adress@example.se", days_ago=400, last_login=timezone.now())

    purge()

    assert django_user_model.objects.count() == 3


def test_an_account_without_any_email_address_row_counts_as_unverified(django_user_model):
    django_user_model.objects.create_user(
        email="utan-rad@example.se", date_joined=timezone.now() - timedelta(days=8)
    )

    purge()

    assert not django_user_model.objects.exists()


def test_purging_is_idempotent_and_reports_progress_per_batch(joined, django_user_model):
    for n in range(3):
        joined(f"gammal{n}@example.se", days_ago=10)

    out = StringIO()
    call_command("purge_unverified_accounts", batch_size=2, stdout=out)

    assert out.getvalue().splitlines()[1:] == [
        "  2 deleted",
        "  3 deleted",
        "Done: 3 unverified accounts deleted.",
    ]
    assert "Done: 0 unverified accounts deleted." in purge()
    assert not EmailAddress.objects.exists()
