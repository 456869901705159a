import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse


@pytest.fixture
def take_database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("connection refused (simulated)")

    return lambda: monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.mark.django_db
def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert reverse("healthz") == "/healthz"


@pytest.mark.django_db
def test_healthz_503_when_database_is_down(client, take_database_down):
    take_database_down()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_page_needing_the_database_answers_friendly_503_when_it_is_down(
    client, user, take_database_down
):
    client.force_login(user)
    client.raise_request_exception = False
    take_database_down()

    response = client.get("/admin/")

    assert response.status_code == 503
    assert "Tillfälligt otillgänglig" in response.text
    assert "Traceback" not in response.text
    assert response["Retry-After"] == "30"
