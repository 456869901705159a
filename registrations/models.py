import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.bilingual import bilingual
from registrations.keys import mask_key, normalise_key

# No Centiro product that can be registered was sold before this day (products have no
# release date of their own); an earlier date is a typing error.
EARLIEST_DATE = datetime.date(2000, 1, 1)


def validate_purchase_date(value):
    if value < EARLIEST_DATE:
        raise ValidationError(
            _("Inköpsdatumet kan inte vara före %(date)s."),
            code="too_early",
            params={"date": EARLIEST_DATE.isoformat()},
        )
    if value > timezone.localdate():
        raise ValidationError(_("Inköpsdatumet kan inte ligga i framtiden."), code="future")


def validate_past_time(value):
    """A time staff enter for something that has happened: since 2000, not in the future."""
    if value.date() < EARLIEST_DATE:
        raise ValidationError(
            _("Tiden kan inte vara före %(date)s."),
            code="too_early",
            params={"date": EARLIEST_DATE.isoformat()},
        )
    if value > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("Tiden kan inte ligga i framtiden."), code="future")


class Product(models.Model):
    slug = models.SlugField(_("kortnamn"), unique=True)
    name_sv = models.CharField(_("namn (svenska)"), max_length=200)
    name_en = models.CharField(_("namn (engelska)"), max_length=200)
    description_sv = models.TextField(_("beskrivning (svenska)"), blank=True)
    description_en = models.TextField(_("beskrivning (engelska)"), blank=True)
    active = models.BooleanField(
        _("aktiv"), default=True, help_text=_("Bara aktiva produkter kan registreras.")
    )

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("produkt")
        verbose_name_plural = _("produkter")

    def __str__(self):
        return self.name

    name = bilingual("name")
    description = bilingual("description")


class LicenceKeyQuerySet(models.QuerySet):
    def revoke_available(self):
        """Revoke the still available keys among these; returns how many were revoked.

        A claimed key belongs to a customer's registration and stays as it is.
        """
        return self.filter(status=LicenceKey.Status.AVAILABLE).update(
            status=LicenceKey.Status.REVOKED, revoked_at=timezone.now()
        )


class LicenceKey(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("ledig")
        CLAIMED = "claimed", _("använd")
        REVOKED = "revoked", _("spärrad")

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="licence_keys", verbose_name=_("produkt")
    )
    key = models.CharField(_("licensnyckel"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    created_at = models.DateTimeField(
        _("skapad"), default=timezone.now, validators=[validate_past_time]
    )
    claimed_at = models.DateTimeField(_("tagen i bruk"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("spärrtid"), null=True, blank=True)

    objects = LicenceKeyQuerySet.as_manager()

    class Meta:
        ordering = ["product", "key"]
        verbose_name = _("licensnyckel")
        verbose_name_plural = _("licensnycklar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["available", "claimed", "revoked"]),
                name="licence_key_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="claimed") | models.Q(claimed_at__isnull=False),
                name="licence_key_claimed_has_time",
            ),
        ]

    def __str__(self):
        return self.masked

    @property
    def masked(self):
        return mask_key(self.key)

    def clean(self):
        try:
            self.key = normalise_key(self.key)
        except ValidationError as error:
            raise ValidationError(
                {"key": _("Ogiltig licensnyckel: 8 till 64 tecken, bara A-Z och 0-9.")}
            ) from error


class Registration(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("användare"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("produkt")
    )
    licence_key = models.OneToOneField(
        LicenceKey,
        on_delete=models.PROTECT,
        related_name="registration",
        verbose_name=_("licensnyckel"),
    )
    registered_at = models.DateTimeField(_("registreringstid"), default=timezone.now)
    purchase_date = models.DateField(
        _("inköpsdatum"), null=True, blank=True, validators=[validate_purchase_date]
    )
    updates_opt_in = models.BooleanField(_("vill ha produktnyheter"), default=False)

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("registrering")
        verbose_name_plural = _("registreringar")

    def __str__(self):
        return f"{self.product} ({self.licence_key})"

    def clean(self):
        key_product = self.licence_key.product_id if self.licence_key_id else None
        if key_product and self.product_id and key_product != self.product_id:
            raise ValidationError(_("Licensnyckeln hör till en annan produkt."))


def file_name(field_file):
    """An uploaded file's own name, without the random folder it is stored in."""
    return PurePosixPath(field_file.name).name if field_file else ""


def resource_upload_to(instance, filename):
    # A random folder per upload: names are never guessable and never collide,
    # and the original name is kept for the download.
    return f"private/resources/{uuid.uuid4().hex}/{PurePosixPath(filename).name}"


def validate_resource_file(file):
    allowed = [ext.lower().lstrip(".") for ext in settings.RESOURCE_ALLOWED_EXTENSIONS]
    extension = PurePosixPath(file.name).suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Filtypen .%(extension)s är inte tillåten. Tillåtna typer: %(allowed)s."),
            code="file_type",
            params={"extension": extension or "?", "allowed": ", ".join(allowed)},
        )
    if file.size > settings.RESOURCE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Filen är för stor. Största tillåtna storlek är %(limit)s."),
            code="file_size",
            params={"limit": filesizeformat(settings.RESOURCE_MAX_UPLOAD_BYTES)},
        )


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Resources for all verified users, plus those for products the user registered."""
        return self.filter(
            models.Q(product__isnull=True)
            | models.Q(product__in=Registration.objects.filter(user=user).values("product"))
        )


class Resource(models.Model):
    title_sv = models.CharField(_("rubrik (svenska)"), max_length=200)
    title_en = models.CharField(_("rubrik (engelska)"), max_length=200)
    body_sv = models.TextField(_("text (svenska)"), blank=True)
    body_en = models.TextField(_("text (engelska)"), blank=True)
    file = models.FileField(
        _("fil"), upload_to=resource_upload_to, blank=True, validators=[validate_resource_file]
    )
    file_en = models.FileField(
        _("fil (engelska)"),
        upload_to=resource_upload_to,
        blank=True,
        validators=[validate_resource_file],
        help_text=_("Engelska sidor erbjuder den här filen; utan den får alla filen ovan."),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("bara för registrerade ägare av"),
        help_text=_("Tomt: alla inloggade användare med bekräftad e-postadress ser materialet."),
    )
    created_at = models.DateTimeField(
        _("skapad"), default=timezone.now, validators=[validate_past_time]
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("material")
        verbose_name_plural = _("material")

    def __str__(self):
        return self.title

    title = bilingual("title")
    body = bilingual("body")

    def clean(self):
        if self.file_en and not self.file:
            raise ValidationError(
                {"file_en": _("Lägg till den svenska filen också: den får alla som läser svenska.")}
            )

    @property
    def download(self):
        """The file in the active language: the English one on English pages if there is one.

        The same rule as core.bilingual, for a file whose Swedish field is `file`."""
        if self.file_en and (get_language() or settings.LANGUAGE_CODE).startswith("en"):
            return self.file_en
        return self.file

    @property
    def filename(self):
        """The download's name as uploaded, shown and offered to the browser."""
        return file_name(self.download)


class ProductNotice(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("service- och säkerhetsmeddelande (till alla registrerade)")
        UPDATE = "update", _("produktnyhet (bara till dem som vill ha nyheter)")

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="notices", verbose_name=_("produkt")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    subject_sv = models.CharField(_("ämne (svenska)"), max_length=200)
    subject_en = models.CharField(_("ämne (engelska)"), max_length=200)
    body_sv = models.TextField(_("text (svenska)"))
    body_en = models.TextField(_("text (engelska)"))
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("antal mottagare"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")

    def __str__(self):
        return self.subject_sv


class NoticeDelivery(models.Model):
    """One row per person mailed: the proof that makes sending idempotent."""

    notice = models.ForeignKey(
        ProductNotice,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("utskick"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_deliveries",
        verbose_name=_("mottagare"),
    )
    sent_at = models.DateTimeField(_("skickat"), default=timezone.now)

    class Meta:
        verbose_name = _("skickat meddelande")
        verbose_name_plural = _("skickade meddelanden")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_delivered_once")
        ]

    def __str__(self):
        return f"{self.notice} → {self.user_id}"
