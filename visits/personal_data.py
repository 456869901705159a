"""The visits linked to an account, for "my data", account deletion and turning linking off."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.registry import PersonalDataSection, deleting
from visits import visitor_cookie
from visits.models import Visit, VisitorLink


def collect(user):
    """The user's linked visitor ids, when each was linked, and their visit counts."""
    links = list(VisitorLink.objects.filter(user=user).order_by("since"))
    counts = dict(
        Visit.objects.filter(visitor_id__in=[link.visitor_id for link in links])
        .order_by()
        .values("visitor_id")
        .annotate(visits=Count("id"))
        .values_list("visitor_id", "visits")
    )
    return [
        {
            # Its start only, on the page and in the export: the whole id would let anyone who
            # reads it act as that browser (see and erase its visits, "Dina besök").
            "visitor_id": visitor_cookie.shown(link.visitor_id),
            "since": link.since.isoformat(),
            "visits": counts.get(link.visitor_id, 0),
        }
        for link in links
    ]


# Every link between the user and visitor ids goes on opt-out and on deletion.
unlink = deleting(VisitorLink)

SECTION = PersonalDataSection(
    key="visits",
    title=_("Besök kopplade till kontot"),
    collect=collect,
    delete=unlink,
    on_visit_link_revoked=unlink,
    template="visits/personal_data.html",
)
