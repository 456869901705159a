"""The Stockholm day: the site's calendar day (`settings.TIME_ZONE`), whatever the server's zone.

Daily figures, the rollup's slices and the policy in effect all turn over at local midnight;
this is the one place that says when that is.
"""

import datetime
import zoneinfo

from django.conf import settings


def day_bounds(day):
    """Start and end (exclusive) of the Stockholm day `day`, as aware UTC datetimes.

    23, 24 or 25 hours apart. In UTC, so subtracting them gives the elapsed time (Python
    subtracts two datetimes of the same zone by wall clock) and `.timestamp()` is exact.
    """
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)  # ZoneInfo caches its instances
    return tuple(
        datetime.datetime.combine(d, datetime.time.min, tzinfo=zone).astimezone(datetime.UTC)
        for d in (day, day + datetime.timedelta(days=1))
    )
