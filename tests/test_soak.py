"""The short soak (benchmarks/soak.py): twenty seconds of mixed traffic through nginx to two
nodes while a gunicorn worker is killed, and nothing acknowledged to a client is lost.

Only the worker is killed here: restarting PostgreSQL or Redis would break every other test
and process using them on the same server (CI's own test database connection included), and
their recovery is proved process by process in test_faults.py, test_workers.py and
test_cache.py; `make soak` runs all three faults for minutes.
"""

import pytest

from benchmarks import soak
from tests.servers import TOPOLOGY_REDIS_URL, database_url, topology_marks

pytestmark = [pytest.mark.soak, *topology_marks()]


def test_a_short_soak_with_a_worker_killed_loses_nothing(
    django_db_setup, django_db_blocker, tmp_path, capsys
):
    with django_db_blocker.unblock():
        report = soak.run(
            tmp_path,
            database_url=database_url(),
            cache_url=TOPOLOGY_REDIS_URL,
            seconds=20,
            faults=["worker"],
            clients=4,
            users=120,
            keys=400,
        )
    soak.print_report(report)
    printed = capsys.readouterr().out

    assert report.page_views > 50, printed
    assert report.consent_acks > 0, printed
    assert report.registration_acks > 0, printed
    assert report.errors_outside_faults == [], printed
    assert report.nothing_lost, printed
    # Each page answered 200 was counted before it was sent; a worker killed after recording
    # a visit and before answering leaves a visit nginx then asks another worker for again.
    counted = report.metrics['centiro_visits_total{outcome="recorded"}']
    assert report.page_views <= counted <= report.visits, printed
    (worker,) = report.faults
    assert worker.recovery < 10, printed
