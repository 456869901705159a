"""Version 2 as a draft: the 2016 text brought up to date with the GDPR.

Staff review, edit and publish it in the admin; code never publishes it.
"""

from pathlib import Path

from django.db import migrations

from policy.rendering import render_markdown

# Frozen content, like migration 0002's: see policy/seed/.
SEED = Path(__file__).resolve().parent.parent / "seed"


def create_version_2_draft(apps, schema_editor):
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    body_sv = (SEED / "v2_sv.md").read_text(encoding="utf-8")
    body_en = (SEED / "v2_en.md").read_text(encoding="utf-8")
    summary_sv, summary_en = (SEED / "v2_summary.txt").read_text(encoding="utf-8").splitlines()[:2]
    PolicyVersion.objects.create(
        number=2,
        title_sv="Sekretesspolicy",
        title_en="Privacy policy",
        body_sv=body_sv,
        body_en=body_en,
        body_sv_html=render_markdown(body_sv),
        body_en_html=render_markdown(body_en),
        change_summary_sv=summary_sv,
        change_summary_en=summary_en,
        is_major=True,
        status="draft",
    )


def remove_version_2_draft(apps, schema_editor):
    apps.get_model("policy", "PolicyVersion").objects.filter(number=2, status="draft").delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_version_1")]

    operations = [migrations.RunPython(create_version_2_draft, remove_version_2_draft)]
