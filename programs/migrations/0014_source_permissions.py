from django.contrib.auth.management import create_permissions
from django.db import migrations

# Sources (programs.Source): readers see a source's address and credit beside every
# published figure that names it, so Editors look and Publishers change. Only adds: a
# group's other permissions, and whatever staff granted by hand, stay as they are.
EDITORS = [("programs", "view_source"), ("programs", "view_historicalsource")]
PUBLISHERS = EDITORS + [
    ("programs", "add_source"),
    ("programs", "change_source"),
    ("programs", "delete_source"),
]


def grant(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so they can be granted.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in (("Editors", EDITORS), ("Publishers", PUBLISHERS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codes:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in (("Editors", EDITORS), ("Publishers", PUBLISHERS)):
        for group in Group.objects.filter(name=name):
            for app_label, codename in codes:
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0013_reference_metrics_breakdowns_sources"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
