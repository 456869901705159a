import datetime
import uuid
import zoneinfo

from consent.models import ConsentRecord
from visits import spool
from visits.models import Device, Visit
from visits.sketch import register_of

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
NOW = datetime.datetime(2026, 5, 20, 14, tzinfo=STOCKHOLM)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def visit(time, **fields):
    values = {
        "host": "www.centiro.se",
        "path": "/",
        "browser": "Firefox",
        "os": "Linux",
        "device": Device.DESKTOP,
        "language": "sv",
    }
    values.update(fields)
    return Visit.objects.create(time=time, **values)


def visitor_id():
    return uuid.uuid4()


def visitor_ids(count):
    """`count` new visitor ids in distinct sketch registers, for tests that expect an exact count
    of a few visitors: HyperLogLog counts a few exactly unless two ids share a register (about
    one run in 1 400 for three random ids)."""
    ids, registers = [], set()
    while len(ids) < count:
        candidate = uuid.uuid4()
        if register_of(candidate) not in registers:
            registers.add(register_of(candidate))
            ids.append(candidate)
    return ids


def at(day, hour=12):
    """`hour` o'clock in Stockholm on `day`."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=STOCKHOLM)


def recorded_visits():
    """Visit.objects after draining the spool, as `manage.py drain_visits` does.

    Requests only spool their visits: a test that checks rows after a request reads them here.
    """
    spool.drain()
    return Visit.objects


def consent_choice(action, created_at, *, revision, **fields):
    """A consent record made at `created_at`: accepting all grants statistics, any other
    action only what is necessary, unless `categories` is given."""
    values = {
        "consent_id": uuid.uuid4(),
        "categories": (
            ["necessary", "statistics"]
            if action == ConsentRecord.Action.ACCEPT_ALL
            else ["necessary"]
        ),
        "policy_version": 1,
    }
    values.update(fields)
    return ConsentRecord.objects.create(
        action=action, created_at=created_at, revision=revision, **values
    )
