"""Version 1: the Sekretesspolicy published in February 2016, so a fresh database serves it."""

import datetime
from pathlib import Path

from django.db import migrations

from policy.rendering import content_sha256, render_markdown

# policy/seed/ holds frozen historical content: the texts as published in 2016
# (and the version 2 draft of migration 0003). They must never be edited, so
# this migration gives the same result whenever it runs.
SEED = Path(__file__).resolve().parent.parent / "seed"


def create_version_1(apps, schema_editor):
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    texts = {
        "title_sv": "Sekretesspolicy",
        "title_en": "Privacy policy",
        "body_sv": (SEED / "v1_sv.md").read_text(encoding="utf-8"),
        "body_en": (SEED / "v1_en.md").read_text(encoding="utf-8"),
    }
    PolicyVersion.objects.create(
        number=1,
        **texts,
        body_sv_html=render_markdown(texts["body_sv"]),
        body_en_html=render_markdown(texts["body_en"]),
        is_major=False,
        effective_date=datetime.date(2016, 2, 1),
        status="published",
        sha256=content_sha256(**texts),
    )


def remove_version_1(apps, schema_editor):
    apps.get_model("policy", "PolicyVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, remove_version_1)]
