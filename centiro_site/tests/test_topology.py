"""Production topology: nginx from deploy/ terminating TLS in front of two app nodes.

Two gunicorn processes on two ports share the PostgreSQL test database and Redis, as two
nodes would; nginx runs deploy/nginx/centiro.conf with a throwaway certificate, free ports
and a temporary prefix. nginx balances round-robin, and its access log names the node that
answered each request, so every test can prove that both nodes took part. The client
connects from 127.0.5.2, so the address nginx saw differs from the one the nodes see
(nginx, 127.0.0.1).
"""

import getpass
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from centiro_site.tests.test_workers import (  # noqa: F401 (an autouse fixture)
    _migrated_data_back_for_later_tests,
    database_url,
    free_port,
)
from policy.models import PolicyVersion
from registrations.models import LicenceKey, Product, Registration, Resource
from registrations.views import ATTEMPTS_PER_HOUR

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/14"
SHARED_CACHE = {
    **settings.CACHES,
    "default": {"BACKEND": "centiro_site.cache.FallbackRedisCache", "LOCATION": REDIS_URL},
}
GUNICORN_CONF = "centiro_site/gunicorn.conf.py"
HOST = "www.centiro.se"
CLIENT_ADDRESS = "127.0.5.2"
FORGED_ADDRESS = "203.0.113.9"
PASSWORD = "ett-långt-lösenord-2016"


def _missing():
    if not shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin"):
        return "nginx is not installed"
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return "Redis does not answer at 127.0.0.1:6379"
    return ""


ON_POSTGRESQL = connection.vendor == "postgresql"

# On PostgreSQL a missing nginx or Redis skips locally but fails in CI, so the topology is
# never silently untested there.
if ON_POSTGRESQL and _missing() and os.environ.get("CI"):
    pytestmark = [pytest.mark.topology]

    def test_ci_has_what_the_topology_test_needs():
        pytest.fail(f"CI must run the topology test: {_missing()}")

else:
    pytestmark = [
        pytest.mark.topology,
        pytest.mark.skipif(
            not ON_POSTGRESQL,
            reason="the nodes must see the test's committed data: PostgreSQL only",
        ),
        pytest.mark.skipif(bool(ON_POSTGRESQL and _missing()), reason=_missing() or "-"),
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
    ]


def self_signed_certificate(directory):
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(certificate), "-subj", f"/CN={HOST}",
            "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def replace_once(text, old, new):
    """deploy/'s config with one value changed; fails when the config no longer has it."""
    assert text.count(old) == 1, f"deploy/nginx/centiro.conf no longer has {old!r}"
    return text.replace(old, new)


def nginx_config(prefix, *, http_port, https_port, nodes, certificate, key):
    site = (BASE_DIR / "deploy" / "nginx" / "centiro.conf").read_text()
    site = replace_once(site, "    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n")
    site = replace_once(site, "    listen [::]:80;\n", "")
    site = replace_once(
        site, "    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n"
    )
    site = replace_once(site, "    listen [::]:443 ssl http2;\n", "")
    site = replace_once(
        site, "/etc/letsencrypt/live/www.centiro.se/fullchain.pem", str(certificate)
    )
    site = replace_once(site, "/etc/letsencrypt/live/www.centiro.se/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/centiro.access.log", str(prefix / "access.log"))
    site = replace_once(
        site,
        "    server 127.0.0.1:8000;\n",
        "".join(f"    server 127.0.0.1:{port};\n" for port in nodes),
    )
    (prefix / "centiro.conf").write_text(site)
    # As root, nginx's workers would otherwise switch to nobody and lose the temp prefix.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{name}_temp_path {prefix / name};"
        for name in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    (prefix / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 128; }}\n"
        f"http {{ include /etc/nginx/mime.types; {temp} include {prefix / 'centiro.conf'}; }}\n"
    )
    return prefix / "nginx.conf"


def start_node(port, media_root, log):
    env = {
        **os.environ,
        "DEBUG": "off",
        "DATABASE_URL": database_url(),
        "CACHE_URL": REDIS_URL,
        "SECURE_SSL_REDIRECT": "on",
        "STATIC_MANIFEST": "off",
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SITE_URL": f"https://{HOST}",
        "EMAIL_URL": "dummymail://",
        "TRUSTED_PROXY_COUNT": "1",
        "MEDIA_ROOT": str(media_root),
        "GUNICORN_WORKERS": "1",
        "VISIT_SPOOL_DIR": str(media_root.parent / f"spool-{port}"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, "centiro_site.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


class Proxy:
    """A client of nginx, connecting from CLIENT_ADDRESS, that keeps its cookies."""

    def __init__(self, http_port, https_port, certificate, log):
        self.http_port, self.https_port, self.log = http_port, https_port, log
        self.tls = ssl.create_default_context(cafile=str(certificate))
        self.cookies = {}
        self.request_ids = []

    def request(self, method, path, *, https=True, body=None, headers=None):
        if https:
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=self.tls, timeout=15,
                source_address=(CLIENT_ADDRESS, 0),
            )  # fmt: skip
        else:
            conn = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, timeout=15, source_address=(CLIENT_ADDRESS, 0)
            )
        sent = {"Host": HOST, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            # What a browser sends with a form of the same site.
            sent.setdefault("Origin", f"https://{HOST}")
            sent.setdefault("Sec-Fetch-Site", "same-origin")
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        self.request_ids.append(response.getheader("X-Request-ID"))
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response, content

    def form_token(self, path):
        response, content = self.request("GET", path)
        assert response.status == 200
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()

    def nodes_that_answered(self, request_ids):
        """The nodes nginx's access log names for these requests (the app echoes nginx's id)."""
        deadline = time.monotonic() + 5
        while True:
            # nginx writes the line after the response has gone out: wait for it.
            logged = re.findall(r"upstream=(\S+) .* request_id=(\w+)", self.log.read_text())
            lines = {request_id: node for node, request_id in logged}
            if all(request_id in lines for request_id in request_ids):
                return {lines[request_id] for request_id in request_ids}
            assert time.monotonic() < deadline, "nginx did not log the requests"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def topology(django_db_setup, django_db_blocker, tmp_path_factory):
    prefix = tmp_path_factory.mktemp("topology")
    media_root = prefix / "media"
    media_root.mkdir()
    certificate, key = self_signed_certificate(prefix)
    with django_db_blocker.unblock():
        ports = [free_port(), free_port()]
        node_log = (prefix / "nodes.log").open("w")
        nodes = [start_node(port, media_root, node_log) for port in ports]
    http_port, https_port = free_port(), free_port()
    config = nginx_config(
        prefix,
        http_port=http_port,
        https_port=https_port,
        nodes=ports,
        certificate=certificate,
        key=key,
    )
    nginx_binary = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin")
    nginx = subprocess.Popen(  # noqa: S603
        [nginx_binary, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy = Proxy(http_port, https_port, certificate, prefix / "access.log")
    proxy.media_root = media_root
    deadline = time.monotonic() + 40
    while True:
        for process in [nginx, *nodes]:
            assert process.poll() is None, (prefix / "error.log").read_text() + (
                prefix / "nodes.log"
            ).read_text()
        try:
            statuses = {proxy.request("GET", "/healthz")[0].status for _ in ports}
        except OSError:
            statuses = set()
        if statuses == {200}:
            break
        assert time.monotonic() < deadline, "nginx and both nodes did not answer in 40 s"
        time.sleep(0.3)
    yield proxy
    for process in [nginx, *nodes]:
        process.terminate()
    for process in [nginx, *nodes]:
        process.wait(timeout=20)
    node_log.close()


@pytest.fixture
def through(topology):
    """The proxy client with no cookies and empty rate limits."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    topology.cookies = {}
    yield topology
    redis.Redis.from_url(REDIS_URL).flushdb()


def on_both_nodes(proxy, function, times=4):
    """`function` called `times` times; nginx's round robin sends them to both nodes."""
    since = len(proxy.request_ids)
    results = [function() for _ in range(times)]
    assert len(proxy.nodes_that_answered(proxy.request_ids[since:])) == 2, "one node answered all"
    return results


def verified_user(django_user_model, email="kund@example.se"):
    user = django_user_model.objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


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


def test_a_signed_in_session_holds_on_both_nodes(through, django_user_model):
    verified_user(django_user_model)
    token = through.form_token(reverse("account_login"))
    body = urlencode(
        {"csrfmiddlewaretoken": token, "login": "kund@example.se", "password": PASSWORD}
    )

    signed_in, _ = through.request("POST", reverse("account_login"), body=body)
    assert signed_in.status == 302

    portal = reverse("registrations:portal")
    statuses = on_both_nodes(through, lambda: through.request("GET", portal)[0].status)
    assert set(statuses) == {200}


def test_the_login_rate_limit_holds_across_both_nodes(through, django_user_model):
    verified_user(django_user_model)
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
    through, django_user_model
):
    through.cookies.update(session_of(verified_user(django_user_model)))
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
        times=ATTEMPTS_PER_HOUR + 4,
    )

    assert statuses == [200] * ATTEMPTS_PER_HOUR + [429] * 4
    counted = {
        key.decode().rsplit(":", 1)[1]
        for key in redis.Redis.from_url(REDIS_URL).keys("*ratelimit:registrations.register.ip:*")
    }
    assert counted == {CLIENT_ADDRESS}


@override_settings(CACHES=SHARED_CACHE)
def test_a_newly_published_policy_version_shows_on_both_nodes_at_once(through, staff_user):
    path = reverse("policy:current")

    def page():
        return through.request("GET", path)[1].decode()

    assert all("Version två via nginx" not in html for html in on_both_nodes(through, page))
    draft = PolicyVersion.objects.create(body_sv="Version två via nginx.", created_by=staff_user)
    draft.publish(by=staff_user, effective_date=timezone.localdate())

    assert all("Version två via nginx" in html for html in on_both_nodes(through, page))


def test_a_restricted_download_streams_to_its_owner_and_is_404_to_others(
    through, django_user_model
):
    owner = verified_user(django_user_model)
    other = verified_user(django_user_model, email="annan@example.se")
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
