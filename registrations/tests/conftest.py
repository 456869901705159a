import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile

from registrations.models import LicenceKey, Product, Resource


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def verified_user(user):
    return make_verified(user)


@pytest.fixture
def other_user(django_user_model):
    return make_verified(
        django_user_model.objects.create_user(email="annan@example.se", password="x-lösen-2016")
    )


@pytest.fixture
def verified_client(client, verified_user):
    client.force_login(verified_user)
    return client


@pytest.fixture
def product(db):
    return Product.objects.create(slug="delivery", name_sv="Leverans", name_en="Delivery")


@pytest.fixture
def other_product(db):
    return Product.objects.create(slug="returns", name_sv="Returer", name_en="Returns")


@pytest.fixture
def licence_key(product):
    return LicenceKey.objects.create(product=product, key="ABCD1234EFGH5678")


@pytest.fixture
def product_resource(product):
    resource = Resource(title_sv="Manual", title_en="Manual", product=product)
    resource.file.save("manual för leverans.pdf", ContentFile(b"%PDF-1.4 manual"), save=True)
    return resource
