"""A visitor's own visits, for "Dina besök": those stored under their id and those on the way."""

from dataclasses import dataclass, field

from visits import erasure, spool, visitor_cookie
from visits.models import Device, Visit

# Drains run every minute (deploy/), so a visit spooled on another node appears within a few.
ARRIVES_WITHIN_MINUTES = 5


@dataclass
class OwnVisits:
    visitor_id: object = None
    visits: list = field(default_factory=list)
    # Visits read from this node's spool, not yet in the database.
    spooled: int = 0
    # False when this node's spool was too large to read whole.
    spool_read_whole: bool = True

    @property
    def shown_id(self):
        return visitor_cookie.shown(self.visitor_id)

    @property
    def count(self):
        return len(self.visits)

    @property
    def first(self):
        return self.visits[0] if self.visits else None

    @property
    def last(self):
        return self.visits[-1] if self.visits else None

    @property
    def newest_first(self):
        return self.visits[::-1]


@dataclass(frozen=True)
class OwnVisit:
    time: object
    host: str
    path: str
    referrer_host: str
    browser: str
    os: str
    device: int
    language: str
    network: str | None
    spooled: bool

    @property
    def device_label(self):
        return Device(self.device).label if self.device in Device.values else ""

    def as_json(self):
        return {
            "time": self.time.isoformat(),
            "host": self.host,
            "path": self.path,
            "referrer_host": self.referrer_host,
            "browser": self.browser,
            "os": self.os,
            "device": Device(self.device).slug if self.device in Device.values else "",
            "language": self.language,
            "network": self.network,
            "in_database": not self.spooled,
        }


def _own(visit, spooled):
    return OwnVisit(
        time=visit.time,
        host=visit.host,
        path=visit.path,
        referrer_host=visit.referrer_host,
        browser=visit.browser,
        os=visit.os,
        device=visit.device,
        language=visit.language,
        network=str(visit.network) if visit.network else None,
        spooled=spooled,
    )


def collect(visitor_id):
    """Everything stored under `visitor_id`, oldest first; an empty result for None.

    The spool is read before the table: a line drained in between is then found twice (and
    shown once) rather than not at all. One id's rows are found through the partial
    index on `visitor_id` (see Visit).
    """
    if visitor_id is None:
        return OwnVisits()
    on_the_way, read_whole = spool.undrained(visitor_id)
    stored = [
        _own(v, False) for v in Visit.objects.filter(visitor_id=visitor_id).order_by("time", "id")
    ]
    seen = {(v.time, v.host, v.path) for v in stored}
    spooled = [_own(v, True) for v in on_the_way if (v.time, v.host, v.path) not in seen]
    visits = sorted(stored + spooled, key=lambda v: v.time)
    return OwnVisits(visitor_id, visits, len(spooled), read_whole)


def as_json(own):
    return {
        "visitor_id": own.shown_id,
        "count": own.count,
        "first": own.first.time.isoformat() if own.first else None,
        "last": own.last.time.isoformat() if own.last else None,
        "not_yet_in_database": own.spooled,
        "visits": [visit.as_json() for visit in own.visits],
    }


def erase_and_replace(request, response):
    """Erase the visits of the request's visitor id, then give the browser a fresh id (with
    consent) or none."""
    visitor_id = visitor_cookie.read(request)
    if visitor_id is None:
        return
    erasure.erase(visitor_id)
    visitor_cookie.replace(request, response)


def on_statistics_refused(sender, *, request, response, erase_visits, **kwargs):
    """consent.signals.statistics_refused: erase too when the visitor ticked the box."""
    if erase_visits:
        erase_and_replace(request, response)
