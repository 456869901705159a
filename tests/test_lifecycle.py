"""The retention table (docs/privacy.md) and the crontab (docs/operations.md) match the code."""

import itertools
import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

DOCS = Path(settings.BASE_DIR) / "docs"
RETENTION_DOC = DOCS / "privacy.md"
CRONTAB_DOC = DOCS / "operations.md"
SECONDS_PER_DAY = 24 * 60 * 60


def in_days(name):
    """A retention setting's value in days (SESSION_COOKIE_AGE is Django's, in seconds)."""
    value = getattr(settings, name)
    return value / SECONDS_PER_DAY if name == "SESSION_COOKIE_AGE" else value


def retention_table():
    """{setting name: days} from the "What is kept for how long" table of docs/privacy.md."""
    section = RETENTION_DOC.read_text().split("### What is kept for how long", 1)[1]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for line in rows[2:]:
        values = [cell.strip() for cell in line.strip("|").split("|")]
        cells = dict(zip(header, values, strict=True))
        setting = re.fullmatch(r"`([A-Z_]+)`", cells["setting"])
        if setting:
            table[setting[1]] = int(re.match(r"(\d+) days\b", cells["kept for"])[1])
    return table


def test_readme_retention_table_matches_the_settings():
    table = retention_table()

    assert table == {name: in_days(name) for name in table}


def test_every_retention_setting_is_in_the_readme_table():
    retention_settings = {name for name in dir(settings) if name.endswith("_RETENTION_DAYS")}
    retention_settings |= {"UNVERIFIED_ACCOUNT_DAYS", "SESSION_COOKIE_AGE"}

    assert retention_settings <= set(retention_table())


def test_the_readme_crontab_runs_every_lifecycle_command_and_only_existing_ones():
    section = CRONTAB_DOC.read_text().split("### Crontab", 1)[1]
    crontab = section.split("```cron", 1)[1].split("```", 1)[0]
    scheduled = set(re.findall(r"manage\.py (\w+)", crontab))

    assert scheduled <= set(get_commands())
    assert {
        "send_notices",
        "rollup_visits",
        "clearsessions",
        "purge_unverified_accounts",
        "purge_visits",
        "drain_visits",
        "purge_consent_records",
    } <= scheduled
