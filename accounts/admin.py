from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin

from accounts.models import User


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
        fields = ["user", "type", "created_at", "last_used_at"]


# allauth's own admin for authenticators shows `data`. Labels: accounts.apps.SecondFactorConfig.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    form = AuthenticatorForm
    raw_id_fields = ["user"]
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
