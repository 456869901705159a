import contextlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyAdminMixin
from core.csvexport import csv_response
from core.requestbody import accepts_files
from registrations.downloads import file_response
from registrations.forms import LicenceKeyImportForm
from registrations.imports import import_keys
from registrations.keys import normalise_key
from registrations.models import (
    LicenceKey,
    NoticeDelivery,
    Product,
    ProductNotice,
    Registration,
    Resource,
    file_name,
)
from registrations.notices import send_notice


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "slug", "active"]
    list_filter = ["active"]
    prepopulated_fields = {"slug": ["name_sv"]}
    search_fields = ["name_sv", "name_en", "slug"]


class PrivateFile:
    """The current file as the admin's file widget shows it: linked to the admin download."""

    def __init__(self, field_file):
        self.name = file_name(field_file)
        self.url = reverse(
            f"admin:registrations_resource_{field_file.field.name}", args=[field_file.instance.pk]
        )

    def __str__(self):
        return self.name


class PrivateFileInput(forms.ClearableFileInput):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value) and value.instance.pk:
            context["widget"]["value"] = PrivateFile(value)
        return context


FILE_FIELDS = ("file", "file_en")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "product", "file", "file_en", "created_at"]
    list_filter = ["product"]
    list_select_related = ["product"]
    search_fields = ["title_sv", "title_en"]
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}

    @accepts_files
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @accepts_files
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            *(
                path(
                    f"<int:pk>/{field}/",
                    self.admin_site.admin_view(self.file_view),
                    {"field": field},
                    name=f"registrations_resource_{field}",
                )
                for field in FILE_FIELDS
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, pk, field):
        resource = get_object_or_404(Resource, pk=pk)
        field_file = getattr(resource, field)
        if not self.has_view_permission(request, resource) or not field_file:
            raise Http404
        return file_response(field_file)


@admin.register(LicenceKey)
class LicenceKeyAdmin(admin.ModelAdmin):
    list_display = ["masked", "product", "status", "created_at", "claimed_at"]
    list_filter = ["status", "product"]
    list_select_related = ["product"]
    search_fields = ["key"]
    readonly_fields = ["status", "claimed_at", "revoked_at"]
    actions = ["revoke", "export_available"]
    change_list_template = "admin/registrations/licencekey/change_list.html"

    def get_search_results(self, request, queryset, search_term):
        # Staff paste keys the way customers read them out: with dashes, in any case.
        with contextlib.suppress(ValidationError):
            search_term = normalise_key(search_term)
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=gettext_lazy("licensnyckel"), ordering="key")
    def masked(self, obj):
        return obj.masked

    def get_readonly_fields(self, request, obj=None):
        # A key in use is part of a customer's registration: it no longer changes.
        if obj is not None and obj.status != LicenceKey.Status.AVAILABLE:
            return [*self.readonly_fields, "product", "key"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == LicenceKey.Status.AVAILABLE

    @admin.action(description=gettext_lazy("Spärra valda lediga nycklar"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = queryset.revoke_available()
        skipped = queryset.count() - revoked
        self.message_user(
            request,
            _("%(revoked)d nycklar spärrade; %(skipped)d var inte lediga och lämnades orörda.")
            % {"revoked": revoked, "skipped": skipped},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Exportera valda lediga nycklar som CSV"))
    def export_available(self, request, queryset):
        available = queryset.filter(status=LicenceKey.Status.AVAILABLE).select_related("product")
        rows = [("product", "key")] + [
            (key.product.slug, key.key) for key in available.order_by("product__slug", "key")
        ]
        return csv_response(rows, "licensnycklar.csv")

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="registrations_licencekey_import",
            ),
            *super().get_urls(),
        ]

    @accepts_files
    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = LicenceKeyImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            result = import_keys(form.cleaned_data["product"], form.cleaned_data["file"])
            if not result.errors:
                self.message_user(
                    request,
                    _("%(count)d nycklar importerades för %(product)s.")
                    % {"count": result.imported, "product": form.cleaned_data["product"]},
                    messages.SUCCESS,
                )
                return redirect("admin:registrations_licencekey_changelist")
            errors = result.errors
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importera licensnycklar"),
            "form": form,
            "errors": errors,
            "changelist_url": reverse("admin:registrations_licencekey_changelist"),
        }
        return TemplateResponse(request, "admin/registrations/licencekey/import.html", context)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["product", "licence_key", "user", "registered_at", "updates_opt_in"]
    list_filter = ["product", "updates_opt_in"]
    list_select_related = ["product", "licence_key", "user"]
    readonly_fields = [
        "user",
        "product",
        "licence_key",
        "registered_at",
        "purchase_date",
        "updates_opt_in",
    ]


@admin.register(ProductNotice)
class ProductNoticeAdmin(admin.ModelAdmin):
    list_display = ["subject_sv", "product", "kind", "created_at", "sent_at", "recipient_count"]
    list_filter = ["kind", "product"]
    list_select_related = ["product"]
    readonly_fields = ["created_at", "sent_at", "recipient_count"]
    actions = ["send"]

    def get_readonly_fields(self, request, obj=None):
        # Once anyone has it, the text is what they received.
        if obj is not None and obj.deliveries.exists():
            return [f.name for f in self.model._meta.fields if f.name != "id"]
        return self.readonly_fields

    @admin.action(
        description=gettext_lazy("Skicka valda utskick (bara till dem som inte fått dem)")
    )
    def send(self, request, queryset):
        for notice in queryset.select_related("product"):
            sent_now = send_notice(notice)
            self.message_user(
                request,
                ngettext(
                    "%(notice)s: skickat till %(now)d ny mottagare, %(total)d totalt.",
                    "%(notice)s: skickat till %(now)d nya mottagare, %(total)d totalt.",
                    sent_now,
                )
                % {"notice": notice, "now": sent_now, "total": notice.recipient_count},
                messages.SUCCESS,
            )


@admin.register(NoticeDelivery)
class NoticeDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["notice", "user", "sent_at"]
    list_select_related = ["notice", "user"]
    list_filter = ["notice"]
