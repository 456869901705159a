from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from centiro_site.csvexport import csv_response
from visits import charts, services
from visits.forms import PeriodForm

DEVICE_LABELS = {"desktop": _("Dator"), "mobile": _("Mobil"), "tablet": _("Surfplatta")}


def _top_lists(stats):
    top = stats.top
    return [
        (_("Mest besökta sidor"), top["pages"]),
        (_("Värdar"), top["hosts"]),
        (_("Hänvisande värdar"), [(host or _("(ingen)"), n) for host, n in top["referrer_host"]]),
        (_("Webbläsare"), top["browser"]),
        (_("Operativsystem"), top["os"]),
        (_("Enheter"), [(DEVICE_LABELS.get(slug, slug), n) for slug, n in top["device"]]),
        (_("Språk"), top["language"]),
    ]


def _staff_with_permission(view):
    """Staff signed in with a second factor, like the admin, and allowed to read statistics."""

    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("visits.view_visit"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return admin.site.admin_view(wrapped)


def _period_form(request):
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    if data is None:
        return PeriodForm(PeriodForm.default_initial())
    return PeriodForm(data)


@never_cache
@require_safe
@_staff_with_permission
def statistics(request):
    form = _period_form(request)
    context = {"form": form}
    if form.is_valid():
        stats = services.statistics(form.period())
        context.update(
            stats=stats,
            chart=charts.views_chart(stats.views_per_day, stats.previous_views_per_day),
            top_lists=_top_lists(stats),
            table=[
                (day, views, previous)
                for (day, views), (_day, previous) in zip(
                    stats.views_per_day, stats.previous_views_per_day, strict=True
                )
            ],
        )
    status = 200 if form.is_valid() else 400
    return render(request, "visits/statistics.html", context, status=status)


@never_cache
@require_safe
@_staff_with_permission
def export_csv(request):
    form = _period_form(request)
    if not form.is_valid():
        return render(request, "visits/statistics.html", {"form": form}, status=400)
    period = form.period()
    filename = f"besoksstatistik-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return csv_response(services.export_rows(period), filename)
