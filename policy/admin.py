from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.admin import ReadOnlyAdminMixin
from policy import services
from policy.diff import diff_versions
from policy.models import PolicyAcceptance, PolicyVersion
from policy.models.versions import DraftAlreadyOpen

PUBLISH_PERMISSION = "policy.publish_policyversion"


class PublishForm(forms.Form):
    effective_date = forms.DateField(
        label=gettext_lazy("Gäller från"),
        help_text=gettext_lazy("I dag, eller ett senare datum för att schemalägga versionen."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Ange från vilket datum versionen gäller."),
            "invalid": gettext_lazy("Ange ett giltigt datum (ÅÅÅÅ-MM-DD)."),
        },
    )


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title_sv", "state", "is_major", "effective_date", "published_by"]
    list_filter = ["status", "is_major"]
    ordering = ["-number"]
    actions = None
    # What staff write in a draft; the publish workflow sets the rest.
    draft_editable_fields = [
        "title_sv",
        "title_en",
        "body_sv",
        "body_en",
        "change_summary_sv",
        "change_summary_en",
        "is_major",
    ]
    fields = [
        "number",
        "status",
        *draft_editable_fields,
        "effective_date",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
        "sha256",
    ]

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def state(self, version):
        if version.is_published and version.effective_date > timezone.localdate():
            return _("Schemalagd")
        return version.get_status_display()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.fields
        return [name for name in self.fields if name not in self.draft_editable_fields]

    def has_change_permission(self, request, obj=None):
        # Published versions open read-only: view permission is enough to see them.
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if request.method == "POST" and version is not None and version.is_published:
            self.message_user(request, _("En publicerad version kan inte ändras."), messages.ERROR)
            return redirect("admin:policy_policyversion_change", version.pk)
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        draft = PolicyVersion.objects.open_draft()
        extra_context = {
            **(extra_context or {}),
            "open_draft": draft,
            "can_discard": draft is not None and self.has_delete_permission(request, draft),
        }
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        draft = PolicyVersion.objects.open_draft()
        if draft is not None and self.has_add_permission(request):
            return self._continue(request, draft)
        return super().add_view(request, form_url, extra_context)

    def _continue(self, request, draft):
        """Back to the open draft, saying why no new one was made."""
        self.message_user(request, DraftAlreadyOpen(draft).messages[0], messages.WARNING)
        return redirect("admin:policy_policyversion_change", draft.pk)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "new-draft/",
                wrap(require_POST(self.new_draft_view)),
                name="policy_policyversion_new_draft",
            ),
            path("<int:pk>/preview/", wrap(self.preview_view), name="policy_policyversion_preview"),
            path("<int:pk>/diff/", wrap(self.diff_view), name="policy_policyversion_diff"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="policy_policyversion_publish"),
            *super().get_urls(),
        ]

    def _version(self, request, pk):
        version = get_object_or_404(PolicyVersion, pk=pk)
        if not self.has_view_or_change_permission(request, version):
            raise PermissionDenied
        return version

    def _context(self, request, version, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "version": version,
            "title": title,
            "can_publish": not version.is_published and request.user.has_perm(PUBLISH_PERMISSION),
        }

    def new_draft_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        current = services.current_version()
        if current is None:
            raise Http404
        try:
            draft = PolicyVersion.new_draft_from(current, by=request.user)
        except DraftAlreadyOpen as open_draft:
            return self._continue(request, open_draft.draft)
        self.log_addition(request, draft, [{"added": {}}])
        self.message_user(
            request,
            _("Ett nytt utkast, version %(number)s, har skapats från version %(current)s.")
            % {"number": draft.number, "current": current.number},
            messages.SUCCESS,
        )
        return redirect("admin:policy_policyversion_change", draft.pk)

    def preview_view(self, request, pk):
        """The version as the public will see it, on the site's own page template."""
        version = self._version(request, pk)
        # Not saved: shows the date a draft would carry if published today.
        version.effective_date = version.effective_date or timezone.localdate()
        language = "en" if request.GET.get("language") == "en" else "sv"
        with translation.override(language):
            return TemplateResponse(
                request,
                "admin/policy/policyversion/preview.html",
                {
                    **self._context(request, version, _("Förhandsvisning")),
                    "is_current": True,
                    "preview_language": language,
                },
            ).render()

    def diff_view(self, request, pk):
        version = self._version(request, pk)
        current = services.current_version()
        context = self._context(request, version, _("Ändringar mot gällande version"))
        if current is not None and current.pk != version.pk:
            context.update(old=current, new=version, diff=diff_versions(current, version))
        return TemplateResponse(request, "admin/policy/policyversion/diff.html", context)

    def publish_view(self, request, pk):
        version = self._version(request, pk)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        if version.is_published:
            self.message_user(request, _("Versionen är redan publicerad."), messages.ERROR)
            return redirect("admin:policy_policyversion_change", version.pk)
        form = PublishForm(request.POST or None, initial={"effective_date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            effective_date = form.cleaned_data["effective_date"]
            try:
                version.publish(by=request.user, effective_date=effective_date)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.log_change(
                    request,
                    version,
                    _("Publicerade version %(number)s, gäller från %(date)s.")
                    % {"number": version.number, "date": date_format(effective_date)},
                )
                self.message_user(
                    request,
                    _("Version %(number)s är publicerad och gäller från %(date)s.")
                    % {"number": version.number, "date": date_format(effective_date)},
                    messages.SUCCESS,
                )
                return redirect("admin:policy_policyversion_changelist")
        context = self._context(
            request, version, _("Publicera version %(number)s") % {"number": version.number}
        )
        context.update(form=form, current=services.current_version())
        return TemplateResponse(request, "admin/policy/policyversion/publish.html", context)


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "version", "shown_at", "acknowledged_at"]
    list_select_related = ["user", "version"]
    readonly_fields = ["user", "version", "shown_at", "acknowledged_at"]
