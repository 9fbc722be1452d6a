from django.db import migrations
from django.utils import timezone


def create_editions(apps, schema_editor):
    """Figures published before editions existed stay published: one edition per year."""
    Figure = apps.get_model("programs", "Figure")
    Edition = apps.get_model("programs", "Edition")
    now = timezone.now()
    for year in Figure.objects.values_list("year", flat=True).distinct():
        Edition.objects.get_or_create(
            year=year, defaults={"status": "published", "published_at": now}
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_editions_and_history")]

    operations = [migrations.RunPython(create_editions, migrations.RunPython.noop)]
