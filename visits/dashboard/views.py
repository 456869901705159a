from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.decorators import staff_mfa_required
from core.csvexport import csv_response
from visits import spool
from visits.dashboard import cards, charts, statistics, tables
from visits.dashboard.forms import PRESETS, PeriodForm
from visits.sketch import STANDARD_ERROR


@never_cache
@require_safe
@staff_mfa_required
@permission_required("visits.view_visit", raise_exception=True)
def statistics_page(request):
    form = PeriodForm(request.GET)
    context = {"form": form, "presets": PRESETS}
    if not form.is_valid():
        return render(request, "visits/statistics.html", context, status=400)
    stats = statistics.statistics(form.period_range(), today=form.today)
    context.update(
        stats=stats,
        charts=[charts.views_chart(stats.per_day, size) for size in charts.SIZES],
        breakdowns=[
            (key, *tables.BREAKDOWNS[key], stats.breakdowns[key]) for key in tables.BREAKDOWNS
        ],
        cards=cards.cards(stats, sketch_error=STANDARD_ERROR * 100),
        consent_cards=cards.consent_cards(stats),
        consent_languages=stats.consent.languages(stats.previous_consent),
        csv_tables=tables.TABLES.items(),
        # In development nothing drains the spool by itself (cron does in production).
        spool_waiting=settings.DEBUG and spool.waiting(),
    )
    return render(request, "visits/statistics.html", context)


@never_cache
@require_safe
@staff_mfa_required
@permission_required("visits.view_visit", raise_exception=True)
def export_csv(request):
    table = request.GET.get("table", "summary")
    if table not in tables.TABLES:
        raise Http404
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "visits/statistics.html", {"form": form}, status=400)
    period = form.period_range()
    stats = statistics.statistics(period, today=form.today)
    suffix = "-preliminar" if stats.provisional else ""
    filename = (
        f"besoksstatistik-{table}-{period.start.isoformat()}-{period.end.isoformat()}{suffix}.csv"
    )
    return csv_response(list(tables.rows(stats, table)), filename)
