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
