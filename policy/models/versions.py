from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    """One version of the Sekretesspolicy. Published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    number = models.PositiveIntegerField(_("versionsnummer"), unique=True)
    title_sv = models.CharField(_("titel (svenska)"), max_length=200, default="Sekretesspolicy")
    title_en = models.CharField(_("titel (engelska)"), max_length=200, default="Privacy policy")
    body_sv = models.TextField(_("text (svenska, Markdown)"), blank=True)
    body_en = models.TextField(_("text (engelska, Markdown)"), blank=True)
    body_sv_html = models.TextField(editable=False, blank=True)
    body_en_html = models.TextField(editable=False, blank=True)
    change_summary_sv = models.TextField(_("sammanfattning av ändringar (svenska)"), blank=True)
    change_summary_en = models.TextField(_("sammanfattning av ändringar (engelska)"), blank=True)
    is_major = models.BooleanField(_("större ändring"), default=False)
    effective_date = models.DateField(_("gäller från"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicerad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 av publicerad text"), max_length=64, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("policyversion")
        verbose_name_plural = _("policyversioner")
        permissions = [("publish_policyversion", _("Kan publicera policyversioner"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(effective_date__isnull=False) & ~models.Q(sha256="")),
                name="policy_published_has_date_and_hash",
            ),
        ]

    def __str__(self):
        return f"{self.title_sv} v{self.number}"


class PolicyAcceptance(models.Model):
    """Which policy version was shown to, and acknowledged by, which user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acceptances"
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    shown_at = models.DateTimeField(_("visad"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("policybekräftelse")
        verbose_name_plural = _("policybekräftelser")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="policy_acceptance_once"),
        ]

    def __str__(self):
        return f"{self.user_id} v{self.version_id}"
