import uuid

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
