"""Which release this process serves: part of every page cache key (pagecache/store.py).

`RELEASE_ID` from the environment when the deploy sets it (e.g. the commit); otherwise a hash of
the project's Python code, templates and compiled translations and of whitenoise's static
manifest, so a deploy that changes any of them no longer serves pages cached by the previous one.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

SOURCES = (
    "accounts",
    "centiro_site",
    "core",
    "consent",
    "policy",
    "registrations",
    "visits",
    "pages",
    "pagecache",
    "templates",
    "locale",
)
SUFFIXES = {".py", ".html", ".txt", ".mo"}


def source_digest(base_dir, sources=SOURCES):
    digest = hashlib.sha256()
    for source in sources:
        for path in sorted((Path(base_dir) / source).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base_dir)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def release_id():
    """Computed once per process (about 40 ms, at its first cacheable request)."""
    if settings.RELEASE_ID:
        return settings.RELEASE_ID
    manifest = getattr(staticfiles_storage, "manifest_hash", "") or "no-manifest"
    return f"{source_digest(settings.BASE_DIR)[:16]}-{manifest}"
