from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import User

AUTHENTICATOR_LABELS = {
    "user": _("användare"),
    "type": _("typ"),
    "created_at": _("skapad"),
    "last_used_at": _("senast använd"),
}


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "country", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "language"]
    search_fields = ["email"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined", "visit_link_consented_at"]
    exclude = ["password"]


class AuthenticatorForm(forms.ModelForm):
    class Meta:
        model = Authenticator
        # Not `data`: it holds the TOTP secret and recovery codes.
        fields = list(AUTHENTICATOR_LABELS)
        labels = AUTHENTICATOR_LABELS


# allauth's own admin for authenticators labels its columns in English: the same admin, in Swedish.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    form = AuthenticatorForm
    raw_id_fields = ["user"]
    list_display = ["owner", "kind", "created", "last_used"]
    list_filter = ["type", "created_at", "last_used_at"]

    @admin.display(description=AUTHENTICATOR_LABELS["user"], ordering="user__email")
    def owner(self, authenticator):
        return authenticator.user

    @admin.display(description=AUTHENTICATOR_LABELS["type"], ordering="type")
    def kind(self, authenticator):
        return authenticator.get_type_display()

    @admin.display(description=AUTHENTICATOR_LABELS["created_at"], ordering="created_at")
    def created(self, authenticator):
        return authenticator.created_at

    @admin.display(description=AUTHENTICATOR_LABELS["last_used_at"], ordering="last_used_at")
    def last_used(self, authenticator):
        return authenticator.last_used_at

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Välj autentiseringsmetod att ändra"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)
