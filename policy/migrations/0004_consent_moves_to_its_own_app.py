"""The consent models now live in the consent app; their tables stay (see consent.0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
        ("policy", "0003_version_2_draft"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="consentrecord", name="revision"),
                migrations.DeleteModel(name="ConsentRecord"),
                migrations.DeleteModel(name="ConsentTextRevision"),
                migrations.DeleteModel(name="ConsentOwner"),
            ],
        ),
    ]
