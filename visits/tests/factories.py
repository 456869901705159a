import uuid

from visits import spool
from visits.models import Device, Visit


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


def recorded_visits():
    """Visit.objects after draining the spool, as `manage.py drain_visits` does.

    Requests only spool their visits: a test that checks rows after a request reads them here.
    """
    spool.drain()
    return Visit.objects
