"""The production topology on one machine: nginx from deploy/ in front of gunicorn app nodes.

Shared by the topology test (tests/test_topology.py) and the soak
(benchmarks/soak.py). nginx runs deploy/nginx/centiro.conf with a throwaway self-signed
certificate, free ports and a temporary prefix, as the current user; each node is a gunicorn
process with centiro_site/gunicorn.conf.py on its own port, all on the same database and Redis,
with TRUSTED_PROXY_COUNT=1. nginx's access log names the node that answered each request.
"""

import getpass
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[1]
GUNICORN_CONF = "centiro_site/gunicorn.conf.py"
HOST = "www.centiro.se"


def nginx_binary():
    return shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed_certificate(directory):
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
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
        "    server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;\n",
        "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in nodes),
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
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 512; }}\n"
        f"http {{ include /etc/nginx/mime.types; {temp} include {prefix / 'centiro.conf'}; }}\n"
    )
    return prefix / "nginx.conf"


def start_node(port, *, database_url, cache_url, media_root, log, workers=1, metrics_dir=None):
    env = {
        **os.environ,
        "DEBUG": "off",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "SECURE_SSL_REDIRECT": "on",
        "STATIC_MANIFEST": "off",
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SITE_URL": f"https://{HOST}",
        "EMAIL_URL": "dummymail://",
        "TRUSTED_PROXY_COUNT": "1",
        "MEDIA_ROOT": str(media_root),
        "GUNICORN_WORKERS": str(workers),
        # The nodes spool where this process drains (soak.py calls drain_visits).
        "VISIT_SPOOL_DIR": str(settings.VISIT_SPOOL_DIR),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if metrics_dir is not None:
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, "centiro_site.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


class Proxy:
    """A client of nginx, connecting from `client_address`, that keeps its cookies."""

    def __init__(self, http_port, https_port, certificate, log, client_address="127.0.5.2"):
        self.http_port, self.https_port, self.log = http_port, https_port, log
        self.certificate = certificate
        self.client_address = client_address
        self.tls = ssl.create_default_context(cafile=str(certificate))
        self.cookies = {}
        self.request_ids = []

    def clone(self, client_address):
        """Another client, with its own cookies and address, of the same nginx."""
        return Proxy(self.http_port, self.https_port, self.certificate, self.log, client_address)

    def request(self, method, path, *, https=True, body=None, headers=None, timeout=15):
        source = (self.client_address, 0)
        if https:
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=self.tls, timeout=timeout,
                source_address=source,
            )  # fmt: skip
        else:
            conn = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, timeout=timeout, source_address=source
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
            if "expires=Thu, 01 Jan 1970" in cookie or "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
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


class Topology:
    """nginx and `nodes` gunicorn nodes of `workers` workers each, started and stopped."""

    def __init__(self, prefix, *, database_url, cache_url, nodes=2, workers=1, metrics=False):
        self.prefix = Path(prefix)
        self.database_url, self.cache_url = database_url, cache_url
        self.node_count, self.workers, self.metrics = nodes, workers, metrics
        self.media_root = self.prefix / "media"
        self.processes = []

    def metrics_dir(self, index):
        return self.prefix / f"metrics-{index}" if self.metrics else None

    def start(self, timeout=40):
        self.media_root.mkdir(exist_ok=True)
        certificate, key = self_signed_certificate(self.prefix)
        self.ports = [free_port() for _ in range(self.node_count)]
        self.node_log = (self.prefix / "nodes.log").open("w")
        self.nodes = [
            start_node(
                port,
                database_url=self.database_url,
                cache_url=self.cache_url,
                media_root=self.media_root,
                log=self.node_log,
                workers=self.workers,
                metrics_dir=self.metrics_dir(index),
            )
            for index, port in enumerate(self.ports)
        ]
        http_port, https_port = free_port(), free_port()
        config = nginx_config(
            self.prefix,
            http_port=http_port,
            https_port=https_port,
            nodes=self.ports,
            certificate=certificate,
            key=key,
        )
        self.nginx = subprocess.Popen(
            [nginx_binary(), "-p", str(self.prefix), "-e", str(self.prefix / "error.log"),
             "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.processes = [self.nginx, *self.nodes]
        self.proxy = Proxy(http_port, https_port, certificate, self.prefix / "access.log")
        deadline = time.monotonic() + timeout
        # Each node first, directly: nginx resends nothing (deploy/nginx), so a request it sent
        # to a node still starting would fail and leave that node out for fail_timeout.
        ready = set()
        while True:
            for process in self.processes:
                assert process.poll() is None, self.logs()
            for index in set(range(self.node_count)) - ready:
                try:
                    if self.node_request(index, "/healthz")[0].status == 200:
                        ready.add(index)
                except OSError:
                    pass
            if len(ready) == self.node_count:
                try:
                    statuses = {self.proxy.request("GET", "/healthz")[0].status for _ in self.ports}
                except OSError:
                    statuses = set()
                if statuses == {200}:
                    return self.proxy
            assert time.monotonic() < deadline, "nginx and the nodes did not answer in time"
            time.sleep(0.3)

    def logs(self):
        return (self.prefix / "error.log").read_text() + (self.prefix / "nodes.log").read_text()

    def worker_pids(self, index):
        """The gunicorn worker processes of node `index` (the master's children)."""
        children = Path(f"/proc/{self.nodes[index].pid}/task/{self.nodes[index].pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def node_request(self, index, path):
        """GET `path` from node `index` directly, not through nginx, as Prometheus would."""
        conn = http.client.HTTPConnection("127.0.0.1", self.ports[index], timeout=10)
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=20)
        self.node_log.close()
