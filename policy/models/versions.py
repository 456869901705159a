from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.bilingual import bilingual
from policy import stamp_channel
from policy.rendering import content_sha256, render_markdown

# A version is scheduled at most this far ahead; a later date is a typing error.
MAX_SCHEDULE_AHEAD = timedelta(days=366)

ANNOUNCEMENT_DAYS = 30


# policy.services caches the versions in effect under this key; publishing clears it.
CACHE_KEY = "policy:in-effect:v3"


def forget_cached_versions():
    cache.delete(CACHE_KEY)
    stamp_channel.publish()


class PublishedVersionChanged(ValidationError):
    """Raised when code tries to change or delete a published version."""


class DraftAlreadyOpen(ValidationError):
    """Raised when a second draft would be created while one is open."""

    def __init__(self, draft):
        super().__init__(
            _("Version %(number)s är redan ett öppet utkast. Fortsätt med det eller kassera det.")
            % {"number": draft.number}
        )
        self.draft = draft


class PolicyVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PolicyVersion.Status.PUBLISHED)

    def open_draft(self):
        """The draft being worked on, or None. Staff can open one at a time; should code have
        made more, the oldest."""
        return self.filter(status=PolicyVersion.Status.DRAFT).order_by("number").first()

    def in_effect(self, day=None):
        """Published versions whose effective date has come (a Stockholm day)."""
        return self.published().filter(effective_date__lte=day or timezone.localdate())

    def delete(self):
        if self.published().exists():
            raise PublishedVersionChanged(_("En publicerad version kan inte raderas."))
        return super().delete()


def staff_member(label):
    """Who did something to a version; the version outlives their account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


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
    body_sv_html = models.TextField(_("text (svenska, HTML)"), editable=False, blank=True)
    body_en_html = models.TextField(_("text (engelska, HTML)"), editable=False, blank=True)
    change_summary_sv = models.TextField(_("sammanfattning av ändringar (svenska)"), blank=True)
    change_summary_en = models.TextField(_("sammanfattning av ändringar (engelska)"), blank=True)
    is_major = models.BooleanField(_("större ändring"), default=False)
    effective_date = models.DateField(_("gäller från"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = staff_member(_("skapad av"))
    published_by = staff_member(_("publicerad av"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 av publicerad text"), max_length=64, blank=True)

    objects = PolicyVersionQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        if self.pk and PolicyVersion.objects.published().filter(pk=self.pk).exists():
            raise PublishedVersionChanged(_("En publicerad version kan inte ändras."))
        if self.number is None:
            self.number = (PolicyVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        self.body_sv_html = render_markdown(self.body_sv)
        self.body_en_html = render_markdown(self.body_en)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and PolicyVersion.objects.published().filter(pk=self.pk).exists():
            raise PublishedVersionChanged(_("En publicerad version kan inte raderas."))
        return super().delete(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @classmethod
    def new_draft_from(cls, source, *, by):
        """A draft copying `source` (usually the current version), to edit and publish.

        Raises DraftAlreadyOpen while another draft is open: staff continue or discard it.
        """
        with transaction.atomic():
            # Two staff asking at once: the second waits here, then finds the first's draft.
            PolicyVersion.objects.select_for_update().filter(pk=source.pk).get()
            draft = cls.objects.open_draft()
            if draft is not None:
                raise DraftAlreadyOpen(draft)
            return cls.objects.create(
                title_sv=source.title_sv,
                title_en=source.title_en,
                body_sv=source.body_sv,
                body_en=source.body_en,
                created_by=by,
            )

    def publish(self, *, by, effective_date):
        """Publish this draft from `effective_date` (today, or a future day to schedule it).

        Raises ValidationError and changes nothing when the draft cannot be published.
        """
        with transaction.atomic():
            # Every draft is locked, in one order, so two publications cannot take one number.
            locked = PolicyVersion.objects.select_for_update().filter(
                models.Q(pk=self.pk) | models.Q(status=self.Status.DRAFT)
            )
            draft = next(version for version in locked.order_by("pk") if version.pk == self.pk)
            latest = PolicyVersion.objects.published().order_by("-effective_date").first()
            errors = {}
            if draft.is_published:
                errors["status"] = _("Versionen är redan publicerad.")
            if not draft.body_sv.strip():
                errors["body_sv"] = _("En version utan svensk text kan inte publiceras.")
            if effective_date < timezone.localdate():
                errors["effective_date"] = _("Datumet kan inte ligga i det förflutna.")
            elif effective_date > timezone.localdate() + MAX_SCHEDULE_AHEAD:
                errors["effective_date"] = _("Datumet kan ligga högst ett år fram i tiden.")
            elif latest and effective_date < latest.effective_date:
                errors["effective_date"] = _(
                    "Datumet kan inte ligga före version %(number)s, som gäller från %(date)s."
                ) % {"number": latest.number, "date": date_format(latest.effective_date)}
            if errors:
                raise ValidationError(errors)
            self._take_next_published_number(draft)
            PolicyVersion.objects.filter(pk=draft.pk).update(
                status=self.Status.PUBLISHED,
                effective_date=effective_date,
                published_by=by,
                published_at=timezone.now(),
                body_sv_html=render_markdown(draft.body_sv),
                body_en_html=render_markdown(draft.body_en),
                sha256=content_sha256(
                    title_sv=draft.title_sv,
                    body_sv=draft.body_sv,
                    title_en=draft.title_en,
                    body_en=draft.body_en,
                ),
            )
            transaction.on_commit(forget_cached_versions)
        self.refresh_from_db()

    @staticmethod
    def _take_next_published_number(draft):
        """Give `draft` the number after the latest published one, so published numbers run
        without holes whichever draft is published first.

        A draft is numbered when it is made; if an older draft still holds the next number,
        the two swap numbers (through a free one, as numbers are unique).
        """
        published = PolicyVersion.objects.published().aggregate(n=Max("number"))["n"] or 0
        number = published + 1
        if draft.number == number:
            return
        holder = PolicyVersion.objects.filter(number=number).first()
        free = PolicyVersion.objects.aggregate(n=Max("number"))["n"] + 1
        PolicyVersion.objects.filter(pk=draft.pk).update(number=free)
        if holder is not None:
            PolicyVersion.objects.filter(pk=holder.pk).update(number=draft.number)
        PolicyVersion.objects.filter(pk=draft.pk).update(number=number)

    title = bilingual("title")
    body_html = bilingual("body_{}_html")
    change_summary = bilingual("change_summary")

    def previous(self):
        """The published version this one replaced, if any."""
        return (
            PolicyVersion.objects.published().filter(number__lt=self.number).order_by("-number")
        ).first()

    @property
    def effective_day_known(self):
        """Whether the day it took effect is known, not only the month.

        Version 1 was loaded from the 2016 text, which gives only "februari 2016"; every
        version published here has its day.
        """
        return self.published_at is not None or not self.is_published

    @property
    def last_updated(self):
        """Its effective date as "Senast uppdaterad" shows it: "3 december 2026", or the month."""
        if self.effective_date is None:
            return ""
        if self.effective_day_known:
            return date_format(self.effective_date)
        return date_format(self.effective_date, "YEAR_MONTH_FORMAT")

    @property
    def announcement_ends(self):
        """The first Stockholm day on which a major version is no longer announced to all."""
        return self.effective_date + timedelta(days=ANNOUNCEMENT_DAYS)


class PolicyAcceptance(models.Model):
    """Which policy version was shown to, and acknowledged by, which user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="policy_acceptances",
        verbose_name=_("användare"),
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("version")
    )
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
