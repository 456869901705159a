"""The admins of records staff only read: no add, no change; consent proof not even deleted."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision
from policy.models import PolicyAcceptance
from registrations.models import NoticeDelivery, Registration

READ_ONLY = [PolicyAcceptance, Registration, NoticeDelivery]
PROOF = [ConsentRecord, ConsentTextRevision, ConsentOwner]


@pytest.fixture
def superuser_request(staff_user):
    request = RequestFactory().get("/")
    request.user = staff_user
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("model", READ_ONLY + PROOF, ids=lambda model: model.__name__)
def test_staff_can_neither_add_nor_change(model, superuser_request):
    model_admin = admin.site.get_model_admin(model)
    assert model_admin.has_view_permission(superuser_request)
    assert not model_admin.has_add_permission(superuser_request)
    assert not model_admin.has_change_permission(superuser_request)


@pytest.mark.django_db
@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_staff_may_delete_what_is_not_proof(model, superuser_request):
    assert admin.site.get_model_admin(model).has_delete_permission(superuser_request)


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROOF, ids=lambda model: model.__name__)
def test_consent_proof_cannot_be_deleted_in_the_admin(model, superuser_request):
    assert not admin.site.get_model_admin(model).has_delete_permission(superuser_request)
