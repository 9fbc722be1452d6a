import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import Min

import programs.models.base

# What Editors and Publishers may now do with notes on metrics, pending changes and
# revision notes. Editors stage corrections; only Publishers publish or discard them.
EDITORS = [
    ("programs", "view_metricnote"), ("programs", "add_metricnote"),
    ("programs", "change_metricnote"), ("programs", "delete_metricnote"),
    ("programs", "view_pendingchange"), ("programs", "add_pendingchange"),
    ("programs", "change_pendingchange"), ("programs", "delete_pendingchange"),
    ("programs", "view_revision"),
    ("programs", "view_historicalmetric"), ("programs", "view_historicalmetricnote"),
    ("programs", "view_historicaledition"),
]  # fmt: skip


def fill_metric_years(apps, schema_editor):
    """Each metric starts at its earliest figure's year; one with no figure yet, at the
    latest edition's year (or this year), so it adds no "no figure" line to older pages."""
    Metric = apps.get_model("programs", "Metric")
    Figure = apps.get_model("programs", "Figure")
    Edition = apps.get_model("programs", "Edition")
    earliest = dict(
        Figure.objects.order_by().values("metric").annotate(first=Min("year")).values_list(
            "metric", "first"
        )
    )
    latest_edition = Edition.objects.order_by("-year").values_list("year", flat=True).first()
    fallback = latest_edition or datetime.date.today().year
    for metric in Metric.objects.filter(first_year__isnull=True):
        metric.first_year = earliest.get(metric.pk, fallback)
        metric.save(update_fields=["first_year"])


def start_metric_history(apps, schema_editor):
    """A first history record for each metric, so that its first change shows old → new."""
    Metric = apps.get_model("programs", "Metric")
    HistoricalMetric = apps.get_model("programs", "HistoricalMetric")
    now = datetime.datetime.now(datetime.timezone.utc)
    names = [f.attname for f in Metric._meta.concrete_fields]
    HistoricalMetric.objects.bulk_create(
        HistoricalMetric(
            **{name: getattr(metric, name) for name in names},
            history_date=now,
            history_type="+",
            history_change_reason="The metric as it stood when its history began",
        )
        for metric in Metric.objects.all()
    )


def create_publication_row(apps, schema_editor):
    apps.get_model("programs", "Publication").objects.get_or_create(pk=1)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ("Editors", "Publishers"):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in EDITORS:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_metrics_through_time_and_revisions")]

    operations = [
        migrations.RunPython(fill_metric_years, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="metric",
            name="first_year",
            field=models.PositiveSmallIntegerField(
                help_text="The first year this metric is collected. Pages show it from this "
                "year on, never as “no figure” for earlier years.",
                validators=programs.models.base.YEAR_VALIDATORS,
            ),
        ),
        migrations.AlterField(
            model_name="historicalmetric",
            name="first_year",
            field=models.PositiveSmallIntegerField(
                help_text="The first year this metric is collected. Pages show it from this "
                "year on, never as “no figure” for earlier years.",
                validators=programs.models.base.YEAR_VALIDATORS,
            ),
        ),
        migrations.RunPython(start_metric_history, migrations.RunPython.noop),
        migrations.RunPython(create_publication_row, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
