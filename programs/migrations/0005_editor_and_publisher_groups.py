from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors edit programs, metrics and figures and import files; Publishers can do all
# that, and publish and unpublish editions (and delete figures).
EDITORS = [
    ("programs", "view_program"), ("programs", "add_program"), ("programs", "change_program"),
    ("programs", "view_metric"), ("programs", "add_metric"), ("programs", "change_metric"),
    ("programs", "view_figure"), ("programs", "add_figure"), ("programs", "change_figure"),
    ("programs", "import_figure"), ("programs", "export_figure"),
    ("programs", "view_edition"), ("programs", "add_edition"),
    ("programs", "view_historicalfigure"), ("programs", "view_historicalprogram"),
    ("states", "view_state"),
]  # fmt: skip
PUBLISHERS = EDITORS + [
    ("programs", "change_edition"),
    ("programs", "publish_edition"),
    ("programs", "delete_figure"),
]


def create_groups(apps, schema_editor):
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


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_editions_for_existing_figures"),
        ("states", "0002_load_jurisdictions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
