from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.keys import normalise_key
from registrations.models import EARLIEST_DATE, Product, validate_purchase_date


class RegisterForm(forms.Form):
    key = forms.CharField(
        label=_("Licensnyckel"),
        max_length=100,
        help_text=_("Som den står på kvittot eller förpackningen, med eller utan bindestreck."),
        error_messages={"required": _("Skriv in din licensnyckel.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    purchase_date = forms.DateField(
        label=_("Inköpsdatum (frivilligt)"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST_DATE.isoformat()}, format="%Y-%m-%d"
        ),
        validators=[validate_purchase_date],
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    updates_opt_in = forms.BooleanField(
        label=_("Ja, skicka mig nyheter om produkten via e-post"),
        required=False,
        help_text=_(
            "Service- och säkerhetsmeddelanden får du alltid. Nyheter kan du stänga av när du vill."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purchase_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_key(self):
        return normalise_key(self.cleaned_data["key"])


class UpdatesOptInForm(forms.Form):
    updates_opt_in = forms.BooleanField(required=False)


class LicenceKeyImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    product = forms.ModelChoiceField(label=_("Produkt"), queryset=Product.objects.all())
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "En nyckel per rad i första kolumnen. "
            "En rubrikrad med key eller licensnyckel hoppas över."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 5 MB)."))
        try:
            return file.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Filen måste vara en CSV-fil i UTF-8.")) from error
