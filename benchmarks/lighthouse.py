"""Lighthouse on the home and policy pages in both languages, against the site as `make serve`
runs it (DEBUG off, hashed and compressed static files, gunicorn) on plain HTTP at 127.0.0.1.

`make lighthouse` runs it (after `npm ci --ignore-scripts`); it prints the four category scores
per page, each the median of five runs (`--runs`; Lighthouse's advice: one run's performance
score moves with whatever else the machine does), and exits non-zero when one is under 100.
The site runs on a throwaway SQLite database.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile

from benchmarks.servers import BASE_DIR, GUNICORN, free_port, migrate_and_collect, wait_until_up

LIGHTHOUSE = BASE_DIR / "node_modules/.bin/lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = [
    ("home", "sv", "/"),
    ("home", "en", "/en/"),
    ("policy", "sv", "/sekretesspolicy/"),
    ("policy", "en", "/en/privacy-policy/"),
]


def site_environment(folder, port):
    env = dict(os.environ)
    env.update(
        DEBUG="off",
        STATIC_MANIFEST="on",
        SECURE_SSL_REDIRECT="off",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{folder}/lighthouse.sqlite3",
        CACHE_URL="locmemcache://lighthouse",
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        VISIT_SPOOL_DIR=f"{folder}/spool",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
    )
    return env


def scores(url):
    """The four category scores (0 to 100) Lighthouse gives the page at `url`."""
    report = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(report.stdout)
    found = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    # What costs points: the weighted audits of each category under 100.
    costly = [
        f"{name}: {ref['id']} ({result['audits'][ref['id']]['score']})"
        for name in CATEGORIES
        if found[name] < 100
        for ref in result["categories"][name]["auditRefs"]
        if ref["weight"] and result["audits"][ref["id"]]["score"] not in (None, 1)
    ]
    return found, costly


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Lighthouse runs per page (median)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci --ignore-scripts` in the project root")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="centiro-lighthouse-") as folder:
        env = site_environment(folder, port)
        migrate_and_collect(env)
        server = subprocess.Popen(
            [*GUNICORN, "centiro_site.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
            print(f"{'page':8} {'lang':4} " + " ".join(f"{name:>14}" for name in CATEGORIES))
            perfect = True
            for page, language, path in PAGES:
                runs = [scores(f"http://127.0.0.1:{port}{path}") for _ in range(args.runs)]
                result = {
                    name: statistics.median(found[name] for found, _ in runs) for name in CATEGORIES
                }
                row = " ".join(f"{result[name]:>14}" for name in CATEGORIES)
                print(f"{page:8} {language:4} {row}")
                if any(score < 100 for score in result.values()):
                    perfect = False
                    for audit in sorted({audit for _, audits in runs for audit in audits}):
                        print(f"    costs points: {audit}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    sys.exit(0 if perfect else 1)


if __name__ == "__main__":
    main()
