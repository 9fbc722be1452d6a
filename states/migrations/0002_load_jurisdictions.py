from django.db import migrations
from django.utils.text import slugify

from states.jurisdictions import JURISDICTIONS


def load(apps, schema_editor):
    State = apps.get_model("states", "State")
    for name, code, fips, kind in JURISDICTIONS:
        State.objects.update_or_create(
            code=code,
            defaults={"name": name, "fips_code": fips, "kind": kind, "slug": slugify(name)},
        )


def unload(apps, schema_editor):
    codes = [code for _, code, _, _ in JURISDICTIONS]
    apps.get_model("states", "State").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("states", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
