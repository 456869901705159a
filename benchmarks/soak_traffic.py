"""The soak's clients: each visitor has its own local address and cookies, and every answer
it gets is kept as an Outcome."""

import http.client
import itertools
import random
import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PASSWORD = "soak-lösenord-2026-långt"  # noqa: S105


@dataclass
class Outcome:
    step: str
    started: float
    ended: float
    status: int  # 0: no answer (connection refused, reset or timed out)
    retry_after: str | None = None
    page_view: bool = False  # a GET answered 200 with an HTML page: one visit to record

    @property
    def failed(self):
        return self.status == 0 or self.status >= 500


class Visitor:
    """One browser: its own local address and cookies; records every answer it gets."""

    addresses = itertools.count()

    def __init__(self, traffic):
        self.traffic = traffic
        n = next(Visitor.addresses)
        self.client = traffic.proxy.clone(f"127.1.{n // 250 % 250}.{n % 250 + 1}")

    def request(self, step, method, path, data=None):
        body = urlencode(data) if data is not None else None
        started = time.monotonic()
        try:
            response, content = self.client.request(
                method, path, body=body, headers={"User-Agent": BROWSER}, timeout=20
            )
        except (OSError, http.client.HTTPException):
            response, content = None, b""
        outcome = Outcome(
            step,
            started,
            time.monotonic(),
            response.status if response else 0,
            response.getheader("Retry-After") if response else None,
            page_view=bool(
                response
                and method == "GET"
                and response.status == 200
                and response.getheader("Content-Type", "").startswith("text/html")
            ),
        )
        self.traffic.outcomes.append(outcome)
        return outcome.status, content

    def page(self, name, *args):
        from django.urls import reverse

        return self.request(name, "GET", reverse(name, args=args))

    def form(self, name):
        """The page's form token, or None when the page did not come."""
        status, content = self.page(name)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        return found.group(1).decode() if status == 200 and found else None


class Traffic:
    """The mix of visitors the client threads run, and what the site acknowledged to them."""

    def __init__(self, proxy, *, users, keys):
        self.proxy = proxy
        self.users = itertools.cycle(users)
        self.keys = iter(keys)
        self.handed_out = []
        self.lock = threading.Lock()
        self.outcomes = []
        self.consent_ids = []
        self.registered = []

    def anonymous(self):
        visitor = Visitor(self)
        for name in ("home", "about", "policy:current"):
            visitor.page(name)

    def consent(self, choice):
        from django.core import signing
        from django.urls import reverse

        from consent import state as consent
        from consent.cookies import CONSENT_COOKIE

        visitor = Visitor(self)
        visitor.page("home")
        status, _ = visitor.request(
            "consent:choose", "POST", reverse("consent:choose"), {"choice": choice, "next": "/"}
        )
        if status == 302:
            # The nodes sign with the SECRET_KEY of this process's environment.
            payload = signing.loads(
                visitor.client.cookies[CONSENT_COOKIE.name], salt=consent.SIGNING_SALT
            )
            self.consent_ids.append(payload["id"])
        visitor.page("about")
        visitor.page("home")

    def sign_in(self):
        from django.urls import reverse

        visitor = Visitor(self)
        with self.lock:
            email = next(self.users)
        token = visitor.form("account_login")
        if token is None:
            return None, None
        status, _ = visitor.request(
            "account_login",
            "POST",
            reverse("account_login"),
            {"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        )
        if status != 302:
            return None, None
        visitor.page("registrations:portal")
        visitor.page("registrations:list")
        return visitor, email

    def register(self):
        from django.urls import reverse

        visitor, email = self.sign_in()
        if visitor is None:
            return
        for _ in range(2):
            with self.lock:
                # One attempt in five races for a key another visitor was given.
                if self.handed_out and random.random() < 0.2:
                    key = random.choice(self.handed_out)
                else:
                    key = next(self.keys, None)
                    if key is None:
                        return
                    self.handed_out.append(key)
            token = visitor.form("registrations:register")
            if token is None:
                continue
            status, _ = visitor.request(
                "registrations:register",
                "POST",
                reverse("registrations:register"),
                {"csrfmiddlewaretoken": token, "key": key},
            )
            if status == 302:
                self.registered.append((email, key))

    def client_loop(self, end):
        scenarios = [
            (self.anonymous, 4),
            (lambda: self.consent("accept_all"), 2),
            (lambda: self.consent("necessary_only"), 1),
            (self.sign_in, 2),
            (self.register, 2),
        ]
        functions, weights = zip(*scenarios, strict=True)
        while time.monotonic() < end:
            random.choices(functions, weights)[0]()

    def start(self, clients, end):
        """`clients` threads running the mix until `end` (time.monotonic()); returns them."""
        threads = [threading.Thread(target=self.client_loop, args=(end,)) for _ in range(clients)]
        for thread in threads:
            thread.start()
        return threads
