import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache, caches
from django.test import RequestFactory
from django.test.client import MULTIPART_CONTENT
from django.utils import timezone, translation
from django.utils.http import urlencode

from accounts.tests.mfa import activate_totp, sign_in_staff
from policy.models import PolicyVersion

CUSTOMER_PASSWORD = "ett-långt-lösenord-2016"


def pytest_collection_modifyitems(items):
    """One way to get the migrations' rows back after a transactional test: Django's
    serialized rollback (`serialized_rollback=True` on the marker, or the
    `django_db_serialized_rollback` fixture).

    A transactional test ends by emptying every table; the next one would find no policy
    version, and content types recreated under new ids would clash with the restored ones.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = marker.kwargs if marker else {}
        fixtures = set(item.fixturenames)
        transactional = kwargs.get("transaction") or {"transactional_db", "live_server"} & fixtures
        serialized = (
            kwargs.get("serialized_rollback") or "django_db_serialized_rollback" in fixtures
        )
        if transactional and not serialized:
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs serialized_rollback"
            )


@pytest.fixture(autouse=True, scope="session")
def _forms_posted_as_browsers_post_them():
    """The test client posts a dict without files urlencoded, as a browser posts such a form.

    Django's test client encodes every dict as multipart, which the site refuses outside the
    staff's file uploads (core/requestbody.py). A dict with a file, or a body given with
    its own content type, is sent unchanged.
    """
    post = RequestFactory.post

    def post_like_a_browser(self, path, data=None, content_type=MULTIPART_CONTENT, **kwargs):
        if (
            content_type == MULTIPART_CONTENT
            and isinstance(data, dict | None)
            and not any(hasattr(value, "read") for value in (data or {}).values())
        ):
            data = urlencode(data or {}, doseq=True)
            content_type = "application/x-www-form-urlencoded"
        return post(self, path, data, content_type, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RequestFactory, "post", post_like_a_browser)
        yield


@pytest.fixture(autouse=True)
def _clean_slate():
    """Each test starts in Swedish with an empty cache.

    A request to /en/ leaves English active in the thread, and rate-limit counters and
    the cached current policy version would otherwise leak from one test into the next.
    """
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user_factory(django_user_model):
    """Accounts as allauth's own tests make them: `user_factory(email_verified=…, with_totp=…)`.

    Staff get `is_staff` with `groups` (roles by group name) or `superuser`; a verified address
    is allauth's own `EmailAddress` row, which sign-in and MFA require.
    """
    from django.contrib.auth.models import Group

    def make(
        email="kund@example.se",
        password=CUSTOMER_PASSWORD,
        *,
        email_verified=True,
        with_totp=False,
        superuser=False,
        groups=(),
        **fields,
    ):
        manager = django_user_model.objects
        create = manager.create_superuser if superuser else manager.create_user
        account = create(email=email, password=password, **fields)
        if email_verified:
            EmailAddress.objects.create(
                user=account, email=account.email, verified=True, primary=True
            )
        if with_totp:
            activate_totp(account)
        if groups:
            account.groups.set(Group.objects.filter(name__in=groups))
            assert account.groups.count() == len(groups), "unknown group"
        return account

    return make


@pytest.fixture
def user(user_factory):
    """A customer who has signed up and not yet verified the address."""
    return user_factory(email_verified=False, country="SE")


@pytest.fixture
def verified_user(user):
    """`user` once the address is verified (the same account)."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def staff_user(user_factory):
    """A staff superuser with a verified email address and an authenticator app."""
    return user_factory(
        "personal@centiro.se", "personalens-lösenord-2016", superuser=True, with_totp=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    """A client signed in as a staff superuser with a second factor, ready for the admin."""
    return sign_in_staff(client, staff_user)


@pytest.fixture
def staff_member(client, user_factory):
    """A client signed in, with a second factor, as staff who is in `groups` and nothing more."""

    def make(*groups):
        member = user_factory(
            "medarbetare@centiro.se",
            "medarbetarens-lösenord-2016",
            is_staff=True,
            with_totp=True,
            groups=groups,
        )
        return sign_in_staff(client, member)

    return make


@pytest.fixture
def policy_version(db):
    """Version 1, which the data migration publishes on every fresh database."""
    from policy.models import PolicyVersion

    return PolicyVersion.objects.get(number=1)


@pytest.fixture
def product_factory(db):
    from registrations.models import Product

    def make(slug="delivery", name_sv="Leverans", name_en="Delivery", **fields):
        return Product.objects.create(slug=slug, name_sv=name_sv, name_en=name_en, **fields)

    return make


@pytest.fixture
def product(product_factory):
    return product_factory()


@pytest.fixture
def licence_key_factory(db):
    from registrations.models import LicenceKey

    def make(product, key="ABCD1234EFGH5678", **fields):
        return LicenceKey.objects.create(product=product, key=key, **fields)

    return make


@pytest.fixture
def licence_key(product, licence_key_factory):
    return licence_key_factory(product)


@pytest.fixture(autouse=True)
def _visit_spool(settings, tmp_path_factory):
    """Each test spools its visits into a directory of its own (drain with recorded_visits())."""
    settings.VISIT_SPOOL_DIR = tmp_path_factory.mktemp("spool")


@pytest.fixture
def publish(staff_user, django_capture_on_commit_callbacks):
    """Publish a new version as the admin does, with its on-commit cache invalidation."""

    def do(body_sv, effective_date=None, is_major=False):
        version = PolicyVersion.objects.create(
            body_sv=body_sv, body_en="New text.", is_major=is_major
        )
        with django_capture_on_commit_callbacks(execute=True):
            version.publish(by=staff_user, effective_date=effective_date or timezone.localdate())
        return version

    return do


@pytest.fixture
def version_2(publish):
    return publish("Version två.\n\n## Rubrik\n\nText.")


@pytest.fixture
def major_version(publish):
    return publish("Stor ändring.", is_major=True)
