import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visits.dashboard.figures import Period

MAX_DAYS = 3 * 366
# Before the site counted anything; it also keeps the previous period's dates representable.
EARLIEST_DAY = datetime.date(2000, 1, 1)
DATE_ERRORS = {"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-05-20.")}


def _month_start(day):
    return day.replace(day=1)


def preset_period(key, today):
    """The period a preset names, counted back from today (inclusive)."""
    days = datetime.timedelta(days=1)
    if key == "today":
        return Period(today, today)
    if key == "7d":
        return Period(today - 6 * days, today)
    if key == "30d":
        return Period(today - 29 * days, today)
    if key == "month":
        return Period(_month_start(today), today)
    if key == "last-month":
        end = _month_start(today) - days
        return Period(_month_start(end), end)
    # Last 12 months: this month and the eleven before it.
    year, month = divmod(today.year * 12 + today.month - 1 - 11, 12)
    return Period(datetime.date(year, month + 1, 1), today)


PRESETS = [
    ("today", _("I dag")),
    ("7d", _("Senaste 7 dagarna")),
    ("30d", _("Senaste 30 dagarna")),
    ("month", _("Den här månaden")),
    ("last-month", _("Förra månaden")),
    ("12m", _("Senaste 12 månaderna")),
]


class PeriodForm(forms.Form):
    """A preset (`period`) or a custom range (`start` and `end`); no parameters means 30 days."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=PRESETS,
        required=False,
        error_messages={"invalid_choice": _("Välj en av perioderna i listan.")},
    )
    start = forms.DateField(
        label=_("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )
    end = forms.DateField(
        label=_("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )

    def __init__(self, data=None, today=None):
        if not data or not any(data.get(key) for key in ("period", "start", "end")):
            data = {"period": "30d"}
        super().__init__(data)
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Ange både ett start- och ett slutdatum."))
            if start > end:
                raise forms.ValidationError(_("Startdatumet måste vara före slutdatumet."))
            if start < EARLIEST_DAY:
                raise forms.ValidationError(
                    _("Startdatumet kan inte vara före %(date)s."),
                    params={"date": EARLIEST_DAY.isoformat()},
                )
            if end > self.today:
                raise forms.ValidationError(_("Slutdatumet kan inte ligga efter i dag."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    _("Välj högst %(days)s dagar åt gången."), params={"days": MAX_DAYS}
                )
            cleaned["range"] = Period(start, end)
        else:
            cleaned["range"] = preset_period(cleaned["period"], self.today)
        return cleaned

    def period_range(self):
        return self.cleaned_data["range"]
