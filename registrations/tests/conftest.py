import pytest
from django.core.files.base import ContentFile

from registrations.models import Resource


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def other_user(user_factory):
    return user_factory("annan@example.se", "x-lösen-2016")


@pytest.fixture
def verified_client(client, verified_user):
    client.force_login(verified_user)
    return client


@pytest.fixture
def other_product(product_factory):
    return product_factory("returns", "Returer", "Returns")


@pytest.fixture
def product_resource(product):
    resource = Resource(title_sv="Manual", title_en="Manual", product=product)
    resource.file.save("manual för leverans.pdf", ContentFile(b"%PDF-1.4 manual"), save=True)
    return resource
