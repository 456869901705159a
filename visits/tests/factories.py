import uuid

from visits.models import Device, Visit

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
