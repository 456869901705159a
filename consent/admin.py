from django.contrib import admin

from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision
from core.admin import ReadOnlyAdminMixin


class ConsentProofAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    deletable = False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ConsentProofAdmin):
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
class ConsentTextRevisionAdmin(ConsentProofAdmin):
    list_display = ["revision", "created_at"]
    search_fields = ["revision"]


@admin.register(ConsentOwner)
class ConsentOwnerAdmin(ConsentProofAdmin):
    list_display = ["consent_id", "created_at"]
    search_fields = ["consent_id"]
