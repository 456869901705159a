"""The consent models move here from the policy app; their tables stay where they are.

Only Django's model state moves (policy.0004 removes it there). The content
types are relabelled, so permissions given on them and admin log entries follow.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("consenttextrevision", "consentrecord", "consentowner")


def relabel(source, target):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MODELS:
            # On a fresh database the target may already exist (created with permissions).
            if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
                ContentType.objects.using(db).filter(app_label=source, model=model).update(
                    app_label=target
                )

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("policy", "0003_version_2_draft"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ConsentTextRevision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("revision", models.CharField(max_length=64, unique=True, verbose_name="revision")),
                        ("texts", models.JSONField(verbose_name="texter")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="skapad")),
                    ],
                    options={
                        "verbose_name": "samtyckestext",
                        "verbose_name_plural": "samtyckestexter",
                        "db_table": "policy_consenttextrevision",
                    },
                ),
                migrations.CreateModel(
                    name="ConsentRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("consent_id", models.UUIDField(db_index=True, verbose_name="samtyckes-id")),
                        ("action", models.CharField(choices=[("accept_all", "Godkänn alla"), ("necessary_only", "Endast nödvändiga"), ("custom", "Egna inställningar"), ("withdraw", "Återkallat")], max_length=20, verbose_name="val")),
                        ("categories", models.JSONField(verbose_name="kategorier")),
                        ("policy_version", models.PositiveIntegerField(null=True, verbose_name="policyversion")),
                        ("gpc", models.BooleanField(default=False, verbose_name="GPC-signal")),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="tid")),
                        ("revision", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="consent.consenttextrevision", verbose_name="visad text")),
                    ],
                    options={
                        "verbose_name": "samtyckespost",
                        "verbose_name_plural": "samtyckesposter",
                        "ordering": ["-created_at"],
                        "db_table": "policy_consentrecord",
                    },
                ),
                migrations.CreateModel(
                    name="ConsentOwner",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("consent_id", models.UUIDField(default=uuid.uuid4, verbose_name="samtyckes-id")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="skapad")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="consent_owners", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "samtyckesägare",
                        "verbose_name_plural": "samtyckesägare",
                        "db_table": "policy_consentowner",
                        "constraints": [models.UniqueConstraint(fields=("consent_id", "user"), name="consent_owner_once")],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel("policy", "consent"), relabel("consent", "policy")),
    ]
