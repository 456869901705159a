import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User


@pytest.mark.django_db
def test_create_staff_makes_a_verified_staff_user_with_a_one_time_password_link():
    out = io.StringIO()

    call_command("create_staff", "--email", "Ny.Personal@Centiro.se", "--superuser", stdout=out)

    staff = User.objects.get()
    assert (staff.email, staff.is_staff, staff.is_superuser) == (
        "ny.personal@centiro.se",
        True,
        True,
    )
    assert not staff.has_usable_password()
    assert EmailAddress.objects.get(user=staff).verified
    link = re.search(r"https://www\.centiro\.se(/\S+)", out.getvalue()).group(1)
    page = Client().get(link, follow=True)
    assert page.status_code == 200
    assert "password1" in page.context["form"].fields


@pytest.mark.django_db
def test_create_staff_refuses_an_existing_email(user):
    with pytest.raises(CommandError):
        call_command("create_staff", "--email", user.email.upper(), stdout=io.StringIO())


@pytest.mark.django_db
def test_create_staff_can_ask_for_the_password(monkeypatch):
    answers = iter(
        ["kort", "annat", "ett-riktigt-bra-lösenord-2026", "ett-riktigt-bra-lösenord-2026"]
    )
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    call_command(
        "create_staff",
        "--email",
        "p@centiro.se",
        "--password-prompt",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    assert User.objects.get().check_password("ett-riktigt-bra-lösenord-2026")


@pytest.mark.django_db
def test_reset_mfa_removes_the_lost_authenticator(staff_user):
    call_command("reset_mfa", "--email", staff_user.email, stdout=io.StringIO())

    assert not Authenticator.objects.filter(user=staff_user).exists()
