"""Production topology: nginx from deploy/ terminating TLS in front of two app nodes.

Two gunicorn processes on two ports share the PostgreSQL test database and Redis, as two
nodes would (two workers each); nginx runs deploy/nginx/centiro.conf with a throwaway
certificate, free ports and a temporary prefix (the harness: benchmarks/topology.py). nginx
balances round-robin, and its access log names the node that answered each request, so every
test can prove that both nodes took part. The client connects from 127.0.5.2, so the address
nginx saw differs from the one the nodes see (nginx, 127.0.0.1).
"""

import os
import re
import time
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from benchmarks.topology import HOST, Topology
from policy import stamp_channel
from policy.models import PolicyVersion
from registrations.attempts import FAILURES_PER_ACCOUNT
from registrations.models import LicenceKey, Product, Registration, Resource
from tests.servers import (
    TOPOLOGY_REDIS_URL,
    database_url,
    topology_marks,
    topology_missing,
    topology_required_but_missing,
)

SHARED_CACHE = {
    **settings.CACHES,
    "default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": TOPOLOGY_REDIS_URL},
}
CLIENT_ADDRESS = "127.0.5.2"
FORGED_ADDRESS = "203.0.113.9"
PASSWORD = "ett-långt-lösenord-2016"


pytestmark = topology_marks()

if topology_required_but_missing():

    def test_ci_has_what_the_topology_test_needs():
        pytest.fail(f"CI must run the topology test: {topology_missing()}")


@pytest.fixture(scope="module")
def nodes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two nodes of two workers each, their metrics added up across workers."""
    topology = Topology(
        tmp_path_factory.mktemp("topology"),
        database_url=database_url(),
        cache_url=TOPOLOGY_REDIS_URL,
        workers=2,
        metrics=True,
    )
    with django_db_blocker.unblock():
        proxy = topology.start()
    proxy.media_root = topology.media_root
    yield topology
    topology.stop()


@pytest.fixture(scope="module")
def topology(nodes):
    return nodes.proxy


@pytest.fixture
def through(topology):
    """The proxy client with no cookies and empty rate limits."""
    redis.Redis.from_url(TOPOLOGY_REDIS_URL).flushdb()
    topology.cookies = {}
    yield topology
    redis.Redis.from_url(TOPOLOGY_REDIS_URL).flushdb()


def on_both_nodes(proxy, function, times=4):
    """`function` called `times` times; nginx's round robin sends them to both nodes."""
    since = len(proxy.request_ids)
    results = [function() for _ in range(times)]
    assert len(proxy.nodes_that_answered(proxy.request_ids[since:])) == 2, "one node answered all"
    return results


def session_of(user):
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def test_https_is_served_and_http_redirected_to_it(through):
    response, _ = through.request("GET", "/om-centiro/?a=1", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/om-centiro/?a=1"

    pages = on_both_nodes(through, lambda: through.request("GET", reverse("about"))[0].status)
    assert set(pages) == {200}


@pytest.mark.parametrize("https", [True, False], ids=["https", "http for load balancers"])
def test_healthz_answers_through_nginx(through, https):
    answers = on_both_nodes(through, lambda: through.request("GET", "/healthz", https=https))
    assert {(response.status, body) for response, body in answers} == {(200, b'{"status": "ok"}')}


def test_production_security_headers_survive_the_proxy(through):
    response, _ = through.request("GET", reverse("home"))

    assert response.status == 200
    assert "includeSubDomains" in response.getheader("Strict-Transport-Security")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.getheader("Cross-Origin-Resource-Policy") == "same-origin"
    assert response.getheader("Cross-Origin-Embedder-Policy") == "require-corp"
    assert "camera=()" in response.getheader("Permissions-Policy")
    assert "default-src 'none'" in response.getheader("Content-Security-Policy")
    assert re.fullmatch(r"[0-9a-f]{32}", response.getheader("X-Request-ID"))
    assert response.getheader("Server") == "nginx"


def test_a_signed_in_session_holds_on_both_nodes(through, user_factory):
    user_factory(password=PASSWORD)
    token = through.form_token(reverse("account_login"))
    body = urlencode(
        {"csrfmiddlewaretoken": token, "login": "kund@example.se", "password": PASSWORD}
    )

    signed_in, _ = through.request("POST", reverse("account_login"), body=body)
    assert signed_in.status == 302

    portal = reverse("registrations:portal")
    statuses = on_both_nodes(through, lambda: through.request("GET", portal)[0].status)
    assert set(statuses) == {200}


def test_the_login_rate_limit_holds_across_both_nodes(through, user_factory):
    user_factory(password=PASSWORD)
    token = through.form_token(reverse("account_login"))

    def login(password):
        body = {"csrfmiddlewaretoken": token, "login": "kund@example.se", "password": password}
        return through.request("POST", reverse("account_login"), body=urlencode(body))

    # allauth allows 5 failed sign-ins per address in 5 minutes; spread over two nodes,
    # neither node alone has seen 5, so only a shared count refuses the right password.
    on_both_nodes(through, lambda: login("fel-lösenord")[0], times=5)
    right = on_both_nodes(through, lambda: login(PASSWORD), times=2)

    assert all(response.status != 302 for response, _ in right)
    assert all("inloggningsförsök".encode() in body for _, body in right)


def test_the_licence_key_rate_limit_holds_across_nodes_and_counts_the_address_nginx_saw(
    through, user_factory
):
    through.cookies.update(session_of(user_factory(password=PASSWORD)))
    path = reverse("registrations:register")
    token = through.form_token(path)
    body = f"csrfmiddlewaretoken={token}&key=WRONG0000001"

    statuses = on_both_nodes(
        through,
        lambda: (
            through.request("POST", path, body=body, headers={"X-Forwarded-For": FORGED_ADDRESS})[
                0
            ].status
        ),
        times=FAILURES_PER_ACCOUNT + 4,
    )

    assert statuses == [200] * FAILURES_PER_ACCOUNT + [429] * 4
    counted = {
        key.decode().rsplit(":", 1)[1]
        for key in redis.Redis.from_url(TOPOLOGY_REDIS_URL).keys(
            "*ratelimit:registrations.register.ip:*"
        )
    }
    assert counted == {CLIENT_ADDRESS}


@override_settings(CACHES=SHARED_CACHE)
def test_a_newly_published_policy_version_shows_on_both_nodes_within_the_poll_interval(
    through, staff_user
):
    path = reverse("policy:current")

    def page():
        return through.request("GET", path)[1].decode()

    assert all("Version två via nginx" not in html for html in on_both_nodes(through, page))
    draft = PolicyVersion.objects.create(body_sv="Version två via nginx.", created_by=staff_user)
    draft.publish(by=staff_user, effective_date=timezone.localdate())
    # The other processes read the stamp channel at most every POLL_SECONDS.
    time.sleep(stamp_channel.POLL_SECONDS)

    assert all("Version två via nginx" in html for html in on_both_nodes(through, page))


def test_a_restricted_download_streams_to_its_owner_and_is_404_to_others(through, user_factory):
    owner = user_factory(password=PASSWORD)
    other = user_factory("annan@example.se", PASSWORD)
    product = Product.objects.create(slug="lager", name_sv="Lager", name_en="Warehouse")
    key = LicenceKey.objects.create(
        product=product, key="OWNER0000001", status="claimed", claimed_at=timezone.now()
    )
    Registration.objects.create(user=owner, product=product, licence_key=key)
    content = os.urandom(3 * 1024 * 1024)
    with override_settings(MEDIA_ROOT=through.media_root):
        resource = Resource(title_sv="Manual", title_en="Manual", product=product)
        resource.file.save("manual.zip", ContentFile(content))
    path = reverse("registrations:resource", args=[resource.pk])

    through.cookies.update(session_of(owner))
    downloads = on_both_nodes(through, lambda: through.request("GET", path), times=2)
    through.cookies.update(session_of(other))
    refused = on_both_nodes(through, lambda: through.request("GET", path)[0].status, times=2)

    assert all(response.status == 200 and body == content for response, body in downloads)
    assert set(refused) == {404}


def scraped_requests(nodes, view):
    """centiro_requests_total for `view` answered 200, added up over both nodes' scrapes."""
    total = 0
    for index in range(len(nodes.ports)):
        response, body = nodes.node_request(index, "/metrics")
        assert response.status == 200
        for family in text_string_to_metric_families(body.decode()):
            total += sum(
                sample.value
                for sample in family.samples
                if sample.name == "centiro_requests_total"
                and sample.labels == {"view": view, "method": "GET", "status": "200"}
            )
    return total


def test_metrics_are_refused_through_nginx_and_served_on_each_node(through, nodes):
    refused, body = through.request("GET", "/metrics")
    forged, _ = through.request("GET", "/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    plain, _ = through.request("GET", "/metrics", https=False)

    assert (refused.status, forged.status) == (404, 404)
    assert b"centiro_" not in body
    assert plain.status == 301
    assert {nodes.node_request(index, "/metrics")[0].status for index in (0, 1)} == {200}


def test_a_scrape_adds_up_every_worker_of_its_node(through, nodes):
    before = scraped_requests(nodes, "about")
    on_both_nodes(through, lambda: through.request("GET", reverse("about")), times=12)

    assert scraped_requests(nodes, "about") - before == 12
