"""Does the response time tell whether an address has an account? (issue 24, item 2)

Sign-up, sign-in and password reset are each posted for an address that has an account and for
one that has none, the two interleaved sample by sample, through the Django test client on a
fresh database with the production password hasher (Argon2, settings.PASSWORD_HASHERS' default;
the tests use MD5, which would hide the difference). Prints the median of each side by side.

    .venv/bin/python benchmarks/enumeration.py [--samples 15] [--database-url sqlite://:memory:]

Rate limits are off for the run (they would answer 429 after a few posts); mail goes to
Django's in-memory outbox, so the figures hold the work of rendering a mail, not an SMTP
round trip (the same for both sides: both send one mail from AccountAdapter.send_mail).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

PASSWORD = "ett-långt-lösenord-2016"  # noqa: S105
EXISTING = "finns@example.se"


def configure(database_url):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="centiro_site.settings",
        SECRET_KEY="benchmark-only-not-secret",  # noqa: S106
        DEBUG="off",
        SECURE_SSL_REDIRECT="off",
        STATIC_MANIFEST="off",
        CACHE_URL="locmemcache://enumeration",
        EMAIL_URL="memorymail://",
        DATABASE_URL=database_url,
        LOG_LEVEL="ERROR",
    )
    # The production hashers, whatever the calling shell says.
    os.environ.pop("PASSWORD_HASHERS", None)
    import django

    django.setup()


def timed(post, address, statuses):
    start = time.perf_counter()
    response = post(address)
    elapsed = time.perf_counter() - start
    statuses.add((response.status_code, response.get("Location")))
    return elapsed


def scenarios(client_factory, reverse):
    from django.utils.http import urlencode

    def post(path, data):
        # As a browser posts a form: the site refuses multipart outside staff uploads.
        return client_factory().post(
            path, urlencode(data), content_type="application/x-www-form-urlencoded"
        )

    def signup(address):
        data = {
            "email": address,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "language": "sv",
            "country": "SE",
        }
        return post(reverse("account_signup"), data)

    def signin(address):
        return post(reverse("account_login"), {"login": address, "password": PASSWORD + "-fel"})

    def reset(address):
        return post(reverse("account_reset_password"), {"email": address})

    return {"sign-up": signup, "sign-in": signin, "password reset": reset}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--database-url", default="sqlite://:memory:")
    args = parser.parse_args()
    configure(args.database_url)

    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse

    from accounts.models import User

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    try:
        User.objects.create_user(email=EXISTING, password=PASSWORD)

        def client():
            # Cookies and rate-limit counters of one sample do not reach the next.
            cache.clear()
            return Client(HTTP_SEC_FETCH_SITE="same-origin")

        with override_settings(ACCOUNT_RATE_LIMITS=False):
            print(f"Hasher: {get_hasher().algorithm}; {args.samples} samples each, interleaved")
            print(f"{'':16}{'existing (ms)':>15}{'new (ms)':>12}{'new/existing':>14}")
            for number, (name, post) in enumerate(scenarios(client, reverse).items()):
                post(EXISTING)  # warm-up: templates, URL resolvers, hasher import
                existing, new, statuses = [], [], set()
                for sample in range(args.samples):
                    fresh = f"ny-{number}-{sample}@example.se"
                    pair = [(existing, EXISTING), (new, fresh)]
                    # Alternate which goes first, so neither side always follows the other.
                    for times, address in pair if sample % 2 else reversed(pair):
                        times.append(timed(post, address, statuses))
                # Both sides answer alike (the same status and redirect), or timing is moot.
                assert len(statuses) == 1, statuses
                a, b = statistics.median(existing) * 1000, statistics.median(new) * 1000
                print(f"{name:16}{a:15.1f}{b:12.1f}{b / a:14.2f}")
        assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
