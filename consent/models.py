import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def years_after(moment, years=1):
    """The same instant `years` calendar years later (earlier when negative).

    Consent is valid for twelve calendar months; 29 February becomes 28 February.
    """
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


class ConsentTextRevision(models.Model):
    """The exact banner and cookie declaration texts (sv and en) of one revision.

    `revision` is a hash of the texts, so the same texts are stored once.
    """

    revision = models.CharField(_("revision"), max_length=64, unique=True)
    texts = models.JSONField(_("texter"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        db_table = "policy_consenttextrevision"
        verbose_name = _("samtyckestext")
        verbose_name_plural = _("samtyckestexter")

    def __str__(self):
        return self.revision[:12]


class ConsentRecord(models.Model):
    """Append-only proof of one cookie choice. Holds no personal data."""

    class Action(models.TextChoices):
        ACCEPT_ALL = "accept_all", _("Godkänn alla")
        NECESSARY_ONLY = "necessary_only", _("Endast nödvändiga")
        CUSTOM = "custom", _("Egna inställningar")
        WITHDRAW = "withdraw", _("Återkallat")

    consent_id = models.UUIDField(_("samtyckes-id"), db_index=True)
    action = models.CharField(_("val"), max_length=20, choices=Action.choices)
    categories = models.JSONField(_("kategorier"))
    policy_version = models.PositiveIntegerField(_("policyversion"), null=True)
    revision = models.ForeignKey(
        ConsentTextRevision, on_delete=models.PROTECT, verbose_name=_("visad text")
    )
    gpc = models.BooleanField(_("GPC-signal"), default=False)
    language = models.CharField(_("språk"), max_length=7, blank=True)
    created_at = models.DateTimeField(_("tid"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "policy_consentrecord"
        ordering = ["-created_at"]
        verbose_name = _("samtyckespost")
        verbose_name_plural = _("samtyckesposter")

    def __str__(self):
        return f"{self.consent_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def valid_until(self):
        return years_after(self.created_at)


class ConsentOwner(models.Model):
    """Links a consent id to a signed-in user; removed when the account is deleted."""

    consent_id = models.UUIDField(_("samtyckes-id"), default=uuid.uuid4)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consent_owners",
        verbose_name=_("användare"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        db_table = "policy_consentowner"
        verbose_name = _("samtyckesägare")
        verbose_name_plural = _("samtyckesägare")
        constraints = [
            models.UniqueConstraint(fields=["consent_id", "user"], name="consent_owner_once"),
        ]

    def __str__(self):
        return str(self.consent_id)
