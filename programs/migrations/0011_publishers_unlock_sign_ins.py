from django.contrib.auth.management import create_permissions
from django.db import migrations

# Publishers see the failed sign-ins (django-axes's access attempts) and unlock an account
# by deleting its attempts; Editors do not. Only adds: a group's other permissions, and
# whatever staff granted by hand, stay as they are.
PUBLISHERS = [("axes", "view_accessattempt"), ("axes", "delete_accessattempt")]


def grant(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so they can be granted.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Publishers")
    for app_label, codename in PUBLISHERS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Publishers"):
        for app_label, codename in PUBLISHERS:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0010_held_upload"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
