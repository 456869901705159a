from django.contrib import admin

from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision


# Consent proof: visible to staff, never changed or deleted in the admin.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "consent_id",
        "action",
        "categories",
        "policy_version",
        "gpc",
        "language",
    ]
    list_filter = ["action", "gpc", "language", "policy_version"]
    search_fields = ["consent_id"]
    date_hierarchy = "created_at"
    list_select_related = ["revision"]


@admin.register(ConsentTextRevision)
class ConsentTextRevisionAdmin(ReadOnlyAdmin):
    list_display = ["revision", "created_at"]
    search_fields = ["revision"]


@admin.register(ConsentOwner)
class ConsentOwnerAdmin(ReadOnlyAdmin):
    list_display = ["consent_id", "created_at"]
    search_fields = ["consent_id"]
