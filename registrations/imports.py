"""CSV import of licence keys: every row checked, all rows imported or none."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from registrations.keys import normalise_key
from registrations.models import LicenceKey

HEADER_NAMES = {"key", "licence key", "license key", "licensnyckel", "nyckel"}


@dataclass
class ImportResult:
    imported: int = 0
    errors: list = field(default_factory=list)  # (line number, message)


def import_keys(product, text):
    result = ImportResult()
    seen = {}  # normalised key -> first line it appeared on
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cell = row[0].strip() if row else ""
        if not cell:
            continue
        if line == 1 and cell.lower() in HEADER_NAMES:
            continue
        try:
            key = normalise_key(cell)
        except ValidationError:
            result.errors.append((line, _("ogiltig nyckel (8 till 64 tecken, bara A-Z och 0-9)")))
            continue
        if key in seen:
            result.errors.append(
                (line, _("samma nyckel som på rad %(line)d") % {"line": seen[key]})
            )
            continue
        seen[key] = line
    keys = list(seen)
    existing = set()
    for start in range(0, len(keys), 500):  # SQLite caps the number of query parameters
        chunk = keys[start : start + 500]
        existing.update(LicenceKey.objects.filter(key__in=chunk).values_list("key", flat=True))
    for key in existing:
        result.errors.append((seen[key], _("nyckeln finns redan")))
    if not seen and not result.errors:
        result.errors.append((0, _("filen innehåller inga nycklar")))
    result.errors.sort()
    if result.errors:
        return result
    try:
        with transaction.atomic():
            LicenceKey.objects.bulk_create(LicenceKey(product=product, key=key) for key in seen)
    except IntegrityError:
        # Another import added one of these keys a moment ago; nothing was saved.
        result.errors.append((0, _("en nyckel lades till samtidigt av någon annan; försök igen")))
        return result
    result.imported = len(seen)
    return result
