import pytest

from policy.models import PolicyVersion


@pytest.fixture
def policy_version(db):
    return PolicyVersion.objects.get(number=1)


@pytest.fixture
def make_draft(db, policy_version):
    def make(body_sv="Ny text.\n\n## Rubrik\n\nMer text.", **fields):
        fields.setdefault("body_en", "New text.")
        return PolicyVersion.objects.create(body_sv=body_sv, **fields)

    return make


@pytest.fixture
def publish(staff_user, django_capture_on_commit_callbacks):
    """Publish like the admin does, running the on-commit cache invalidation."""

    def do(version, effective_date):
        with django_capture_on_commit_callbacks(execute=True):
            version.publish(by=staff_user, effective_date=effective_date)
        return version

    return do


@pytest.fixture
def chose_cookies_under():
    """Give a test client the consent cookie of a choice made while `number` was in effect."""
    import uuid

    from django.http import HttpResponse
    from django.utils import timezone

    from consent import state
    from consent.cookies import CONSENT_COOKIE
    from consent.models import years_after

    def give(client, number=1):
        given_at = timezone.now().replace(microsecond=0)
        choice = state.ConsentState(
            consent_id=uuid.uuid4(),
            categories=frozenset({"necessary"}),
            given_at=given_at,
            expires_at=years_after(given_at),
            policy_version=number,
        )
        response = HttpResponse()
        state.remember(response, choice)
        client.cookies[CONSENT_COOKIE.name] = response.cookies[CONSENT_COOKIE.name].value
        return client

    return give
