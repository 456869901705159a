import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from registrations import services
from registrations.models import LicenceKey, Product, Registration


class HeldClock:
    """Stands in for the services' clock, read between finding the key and claiming it.

    Every racer waits there until all have found the key available, so they
    all reach the claim together: the window a check-then-act bug needs.
    """

    def __init__(self, racers):
        self.all_found_the_key = threading.Barrier(racers, timeout=10)

    def now(self):
        self.all_found_the_key.wait()
        return timezone.now()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_users_racing_for_one_key_on_postgresql_give_exactly_one_registration(
    django_user_model, monkeypatch
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
    monkeypatch.setattr(services, "timezone", HeldClock(len(racers)))
    outcomes = []

    def race(user):
        try:
            start.wait()
            services.register_product(user, "race-0000-0001", updates_opt_in=False)
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
