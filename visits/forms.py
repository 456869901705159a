import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from visits import services

MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Från och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )
    end = forms.DateField(
        label=_("Till och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )

    @classmethod
    def default_initial(cls):
        today = services.local_today()
        return {"start": today - datetime.timedelta(days=29), "end": today}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Startdatumet måste vara före slutdatumet."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    _("Välj högst %(days)s dagar åt gången."), params={"days": MAX_DAYS}
                )
        return cleaned

    def period(self):
        return services.Period(self.cleaned_data["start"], self.cleaned_data["end"])
