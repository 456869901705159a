"""Staff roles as groups. A role's permissions are frozen here: change them with a new migration."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def crud(app_label, model, actions=("add", "change", "delete", "view")):
    return [f"{app_label}.{action}_{model}" for action in actions]


POLICY_EDITOR = crud("policy", "policyversion", ("add", "change", "view"))

ROLES = {
    "Policyredaktör": POLICY_EDITOR,
    "Policyutgivare": [*POLICY_EDITOR, "policy.publish_policyversion"],
    "Produktansvarig": [
        *crud("registrations", "product"),
        *crud("registrations", "licencekey"),
        *crud("registrations", "resource"),
        *crud("registrations", "productnotice"),
        "registrations.view_registration",
        "registrations.view_noticedelivery",
    ],
    "Statistikläsare": [
        "visits.view_visit",
        "visits.view_dailypageviews",
        "visits.view_dailydimension",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups
    # need them now, on a fresh database too. Created exactly as post_migrate
    # would (every installed app, in order), so content type ids do not depend
    # on whether this migration ran first; tests that restore a serialised
    # database rely on that.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for permission in permissions:
            app_label, codename = permission.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("policy", "0003_version_2_draft"),
        ("registrations", "0001_initial"),
        ("visits", "0002_visit_time_index"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
