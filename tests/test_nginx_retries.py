"""nginx from deploy/ never sends a request to a second node (issue 24, item 7c).

A worker killed after it read a request drops the connection without an answer. nginx's
default `proxy_next_upstream error timeout` then sent the same GET to the other node, which
counted the visit again. Here two stand-in nodes sit behind deploy/nginx/centiro.conf: one reads
each request and drops the connection as a killed worker does, the other answers 200. Each
request must reach one node only; the client whose request was dropped sees 502, and nginx
leaves the failing node out afterwards (max_fails), so the next requests are answered.
"""

import http.client
import socket
import ssl
import struct
import subprocess
import threading
import time

import pytest

from benchmarks.topology import HOST, free_port, nginx_binary, nginx_config, self_signed_certificate

pytestmark = [
    pytest.mark.topology,
    pytest.mark.skipif(not nginx_binary(), reason="nginx is not installed"),
]


class StandInNode:
    """A node on a free port that records each request's X-Request-ID; `drops` answers none
    and resets the connection, as a worker killed mid-request does."""

    def __init__(self, *, drops):
        self.drops = drops
        self.request_ids = []
        self.port = free_port()
        self.sock = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    head += chunk
                for line in head.decode("latin-1").split("\r\n"):
                    if line.lower().startswith("x-request-id:"):
                        self.request_ids.append(line.split(":", 1)[1].strip())
                if self.drops:
                    # SO_LINGER 0: close with a reset, as the kernel does for a killed process.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                else:
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    )

    def close(self):
        self.sock.close()


@pytest.fixture
def nginx_before(tmp_path):
    """nginx from deploy/ in front of a node that drops requests and one that answers."""
    dropping, answering = StandInNode(drops=True), StandInNode(drops=False)
    certificate, key = self_signed_certificate(tmp_path)
    https_port = free_port()
    config = nginx_config(
        tmp_path,
        http_port=free_port(),
        https_port=https_port,
        nodes=[dropping.port, answering.port],
        certificate=certificate,
        key=key,
    )
    nginx = subprocess.Popen(  # noqa: S603 (our nginx, our config)
        [nginx_binary(), "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)]
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield https_port, dropping, answering
    nginx.terminate()
    nginx.wait(10)
    dropping.close()
    answering.close()


def get(port, path="/"):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Request-ID")
    finally:
        connection.close()


def test_a_get_the_node_dropped_is_not_sent_to_the_other_node(nginx_before):
    port, dropping, answering = nginx_before

    statuses = [get(port, f"/?n={n}")[0] for n in range(6)]

    # Round robin gave the dropping node one of the first requests; it reached no other node.
    assert dropping.request_ids
    assert not set(dropping.request_ids) & set(answering.request_ids)
    assert statuses.count(502) == len(dropping.request_ids) == 1
    # After its one failure nginx leaves the node out: every later request is answered.
    assert statuses[statuses.index(502) + 1 :] == [200] * (5 - statuses.index(502))
