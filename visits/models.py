from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a header-derived value that is not well formed is stored as (visits.recording): never the
# text itself, so nothing a visitor sends (a formula, control characters) reaches the statistics.
INVALID = "?"


class Device(models.IntegerChoices):
    """Device classes: the only place their slugs (CSV, daily tables) and labels live."""

    DESKTOP = 1, _("Dator")
    MOBILE = 2, _("Mobil")
    TABLET = 3, _("Surfplatta")

    @property
    def slug(self):
        return self.name.lower()

    @classmethod
    def from_slug(cls, slug):
        return cls[slug.upper()]


class Visit(models.Model):
    """One recorded HTML page view: append-only, pseudonymous.

    Columns are kept small because this table grows by every page view: the
    device is a smallint, the visitor id a uuid and the truncated address a
    network address (inet on PostgreSQL). Two secondary indexes: on `time` (a
    BRIN index on PostgreSQL, see migration 0002), which the rollup and the purge
    use, and a partial one on `visitor_id` for the rows that have one, which a
    visitor's own page and their erasure use (docs/privacy.md, "Your visits").
    Never add the raw user agent or the full referrer.
    """

    time = models.DateTimeField(_("tid"))
    host = models.CharField(_("värd"), max_length=253)
    path = models.CharField(_("sökväg"), max_length=255)
    referrer_host = models.CharField(_("hänvisande värd"), max_length=253, blank=True)
    browser = models.CharField(_("webbläsare"), max_length=50, blank=True)
    os = models.CharField(_("operativsystem"), max_length=50, blank=True)
    device = models.PositiveSmallIntegerField(_("enhet"), choices=Device.choices)
    language = models.CharField(_("språk"), max_length=7, blank=True)
    visitor_id = models.UUIDField(_("besökar-id"), null=True, blank=True)
    network = models.GenericIPAddressField(_("nätverk"), null=True, blank=True)

    class Meta:
        verbose_name = _("besök")
        verbose_name_plural = _("besök")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(network__isnull=True) | models.Q(visitor_id__isnull=False),
                name="visits_visit_network_only_with_id",
            ),
        ]
        indexes = [
            # Measured on PostgreSQL, 2 M rows, half with an id: one id's rows in 0.6 ms
            # instead of 184 ms (a scan); inserting a million rows costs 40-60 % more.
            models.Index(
                fields=["visitor_id"],
                name="visits_visit_visitor_idx",
                condition=models.Q(visitor_id__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.host}{self.path}"


class VisitorLink(models.Model):
    """A visitor id the user asked to have linked to their account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visitor_links"
    )
    visitor_id = models.UUIDField(_("besökar-id"))
    since = models.DateTimeField(_("kopplad sedan"))

    class Meta:
        verbose_name = _("kopplat besökar-id")
        verbose_name_plural = _("kopplade besökar-id")
        constraints = [
            models.UniqueConstraint(fields=["user", "visitor_id"], name="visits_link_unique"),
        ]

    def __str__(self):
        return str(self.visitor_id)


class DailyPageViews(models.Model):
    """Views of one page on one host on one Stockholm day (built by rollup_visits)."""

    day = models.DateField(_("dag"))
    host = models.CharField(_("värd"), max_length=253)
    path = models.CharField(_("sökväg"), max_length=255)
    views = models.PositiveIntegerField(_("visningar"))
    views_with_id = models.PositiveIntegerField(_("visningar med id"))
    distinct_ids = models.PositiveIntegerField(_("unika id"))
    entries = models.PositiveIntegerField(
        _("ingångar"),
        default=0,
        help_text=_("Besökare med id vars första visning för dagen var här."),
    )

    class Meta:
        verbose_name = _("sidvisningar per dag")
        verbose_name_plural = _("sidvisningar per dag")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "host", "path"], name="visits_daily_page_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(views_with_id__lte=models.F("views"))
                & models.Q(distinct_ids__lte=models.F("views_with_id")),
                name="visits_daily_page_counts_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.host}{self.path}: {self.views}"


class Dimension(models.IntegerChoices):
    BROWSER = 1, _("webbläsare")
    OS = 2, _("operativsystem")
    DEVICE = 3, _("enhet")
    REFERRER = 4, _("hänvisande värd")
    LANGUAGE = 5, _("språk")


class DailyDimension(models.Model):
    """Views per value of one dimension (browser, OS, ...) on one Stockholm day."""

    day = models.DateField(_("dag"))
    dimension = models.PositiveSmallIntegerField(_("dimension"), choices=Dimension.choices)
    value = models.CharField(_("värde"), max_length=253, blank=True)
    views = models.PositiveIntegerField(_("visningar"))
    views_with_id = models.PositiveIntegerField(_("visningar med id"))

    class Meta:
        verbose_name = _("dimension per dag")
        verbose_name_plural = _("dimensioner per dag")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "value"], name="visits_daily_dimension_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(views_with_id__lte=models.F("views")),
                name="visits_daily_dimension_counts_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.get_dimension_display()} {self.value}: {self.views}"


class DailyVisitors(models.Model):
    """A HyperLogLog sketch of one Stockholm day's visitor ids (see visits/sketch.py).

    Sketches of any days merge into the unique visitors of that range without
    reading raw visits; the exact count of the day is kept beside it.
    """

    day = models.DateField(_("dag"), unique=True)
    sketch = models.BinaryField(_("skiss"))
    distinct_ids = models.PositiveIntegerField(_("unika id"))

    class Meta:
        verbose_name = _("unika besökare per dag")
        verbose_name_plural = _("unika besökare per dag")

    def __str__(self):
        return f"{self.day}: {self.distinct_ids}"


class DailyConsent(models.Model):
    """Cookie choices of one Stockholm day by kind, counted from ConsentRecord."""

    day = models.DateField(_("dag"))
    action = models.CharField(_("val"), max_length=20)
    gpc = models.BooleanField(_("GPC-signal"))
    statistics = models.BooleanField(_("samtycke till statistik"))
    language = models.CharField(_("språk"), max_length=7, blank=True, default="")
    choices = models.PositiveIntegerField(_("antal val"))

    class Meta:
        verbose_name = _("samtyckesval per dag")
        verbose_name_plural = _("samtyckesval per dag")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "action", "gpc", "statistics", "language"],
                name="visits_daily_consent_unique",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.action}: {self.choices}"


class SpoolOffset(models.Model):
    """How far one spool segment has been drained into Visit (visits/spool.py).

    Moved forward in the same transaction as the rows it covers, so a drain is exactly once.
    """

    segment = models.CharField(_("segment"), max_length=255, unique=True)
    offset = models.PositiveBigIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("spoolposition")
        verbose_name_plural = _("spoolpositioner")

    def __str__(self):
        return f"{self.segment}@{self.offset}"


class RollupMark(models.Model):
    """How far one Stockholm day's raw rows are counted in the daily tables (visits/increment.py).

    The highest Visit and ConsentRecord ids counted, moved in the same transaction as the counts,
    so an increment never counts a row twice or half.
    """

    day = models.DateField(_("dag"), unique=True)
    visit_id = models.PositiveBigIntegerField(_("senaste besök"), default=0)
    consent_id = models.PositiveBigIntegerField(_("senaste samtyckesval"), default=0)
    complete = models.BooleanField(
        _("hel dag"), default=False, help_text=_("Räknad om i sin helhet av rollup_visits.")
    )
    erased = models.BooleanField(
        _("raderade besök"),
        default=False,
        help_text=_(
            "Besök som redan räknats har raderats på besökarens begäran: dagen räknas bara "
            "vidare, aldrig om, så att siffrorna står kvar."
        ),
    )

    class Meta:
        verbose_name = _("sammanställningsmarkering")
        verbose_name_plural = _("sammanställningsmarkeringar")

    def __str__(self):
        return f"{self.day}: {self.visit_id}/{self.consent_id}"


class SeenPage(models.Model):
    """A page a visitor with an id saw today, kept only until the day is rolled up whole.

    Lets an increment count a visitor's distinct pages and entry page once however many
    increments see them; `batch` is the increment (its highest visit id) that first saw it.
    """

    day = models.DateField(_("dag"))
    visitor_id = models.UUIDField(_("besökar-id"))
    host = models.CharField(_("värd"), max_length=253)
    path = models.CharField(_("sökväg"), max_length=255)
    entry = models.BooleanField(_("ingång"))
    batch = models.PositiveBigIntegerField(_("omgång"))

    class Meta:
        verbose_name = _("sedd sida")
        verbose_name_plural = _("sedda sidor")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "visitor_id", "host", "path"], name="visits_seen_page_unique"
            ),
        ]
        indexes = [models.Index(fields=["day", "batch"], name="visits_seen_page_batch")]

    def __str__(self):
        return f"{self.day} {self.visitor_id} {self.host}{self.path}"


class VisitErasure(models.Model):
    """A visitor's erasure, kept only while a drainer may still meet a spooled visit of the id.

    Holds a keyed hash of the id (visits/erasure.py), never the id: a drainer on any node drops a
    spooled visit whose id hashes to it. Purged after `erasure.KEEP`, when older lines lose their
    id anyway.
    """

    digest = models.CharField(_("nyckelhash av besökar-id"), max_length=64, unique=True)
    erased_at = models.DateTimeField(_("raderad"), db_index=True)

    class Meta:
        verbose_name = _("radering av besök")
        verbose_name_plural = _("raderingar av besök")

    def __str__(self):
        return f"{self.erased_at:%Y-%m-%d %H:%M}"


class DailyErasures(models.Model):
    """How many visitors erased their visits on one Stockholm day: a count, no id."""

    day = models.DateField(_("dag"), unique=True)
    erasures = models.PositiveIntegerField(_("raderingar"))

    class Meta:
        verbose_name = _("raderingar per dag")
        verbose_name_plural = _("raderingar per dag")

    def __str__(self):
        return f"{self.day}: {self.erasures}"
