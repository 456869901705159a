import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registrations.models import LicenceKey, Product, Registration
from registrations.services import register_product


@pytest.mark.django_db(transaction=True)
def test_users_racing_for_one_key_on_postgresql_give_exactly_one_registration(
    django_user_model,
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks; run with DATABASE_URL=postgres://...")
    product = Product.objects.create(slug="race", name_sv="Kapplöpning", name_en="Race")
    LicenceKey.objects.create(product=product, key="RACE00000001")
    racers = [
        django_user_model.objects.create_user(email=f"racer{n}@example.se", password="x")
        for n in range(8)
    ]
    start = threading.Barrier(len(racers))
    outcomes = []

    def race(user):
        try:
            start.wait()
            register_product(user, "race-0000-0001")
            outcomes.append("registered")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=[user]) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused"] * 7 + ["registered"]
    assert Registration.objects.count() == 1
    assert LicenceKey.objects.get().status == LicenceKey.Status.CLAIMED
