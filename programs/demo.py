"""The demo data: NCMEC's Minnesota 2023 fact sheet (shared/seed/ncmec-minnesota-2023.md)
and nothing else. Its programs and metrics are in demo_catalog.toml; its figures, national
and Minnesota, are samples/ncmec-figures-2023.csv, saved by the importer as staff's are.

The demo only adds what is missing, so running it again never undoes a staff edit: a
program (by slug) or metric (by key) that is there is left as it is, and the figures go
only into a 2023 edition the demo creates itself (a figure missing from an edition that
exists may be one staff withdrew).
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .figure_files import read_table
from .formatting import word_list
from .importing import figures_import
from .models import Edition, Metric, Program, public_change
from .publishing import edition_publish, editions_ensure, plural

CATALOG = Path(__file__).with_name("demo_catalog.toml")
FIGURES = Path(settings.BASE_DIR) / "samples" / "ncmec-figures-2023.csv"
YEAR = 2023
REASON = "Demo data (the seed's Minnesota 2023 fact sheet)"


class DemoDataError(Exception):
    """The demo's figures do not fit the metrics as they stand; nothing was saved."""


@dataclass(frozen=True)
class DemoLoad:
    """What demo_data_load() did; its str() says so in a sentence."""

    programs_created: int
    programs_kept: int  # the catalog's programs that were there already
    metrics_created: int
    metrics_kept: int
    figures_created: int | None  # None: the 2023 edition was there, its figures untouched

    def __str__(self):
        created = [
            plural(n, word)
            for n, word in ((self.programs_created, "program"), (self.metrics_created, "metric"))
            if n
        ]
        kept = [
            plural(n, word)
            for n, word in ((self.programs_kept, "program"), (self.metrics_kept, "metric"))
            if n
        ]
        if self.figures_created is None:
            kept.append(f"the {YEAR} edition")
        else:
            created.append(f"the {YEAR} edition with {plural(self.figures_created, 'figure')}")
        if not kept:
            return f"Demo data: created {word_list(created)}."
        one = len(kept) == 1 and kept[0].startswith(("1 ", "the "))
        left = f"{word_list(kept)} " + (
            "was already there and was left as it is"
            if one
            else "were already there and were left as they are"
        )
        if not created:
            return f"Demo data: nothing to add; {left}."
        return f"Demo data: created {word_list(created)}; {left}."


def demo_data_load() -> DemoLoad:
    """Add whatever of the demo is missing, in one transaction; change nothing that is there."""
    catalog = tomllib.loads(CATALOG.read_text(encoding="utf-8"))["programs"]
    with public_change():  # the system's own doing (user=None)
        programs, programs_created = _programs(catalog)
        metrics_created = _metrics(catalog, programs)
        figures_created = _figures()
    metrics = sum(len(spec["metrics"]) for spec in catalog)
    return DemoLoad(
        programs_created=programs_created,
        programs_kept=len(catalog) - programs_created,
        metrics_created=metrics_created,
        metrics_kept=metrics - metrics_created,
        figures_created=figures_created,
    )


def _add(obj):
    # The fields, choices and uniqueness, as the admin checks them; the check constraints
    # the database enforces as the row is written (one query each in Python, four per
    # metric: half the time of loading the demo, which 700 tests do).
    obj.full_clean(validate_constraints=False)
    obj._change_reason = REASON
    obj.save()
    return obj


def _programs(catalog):
    """The catalog's programs by slug, each created if missing; and how many were."""
    saved = {program.slug: program for program in Program.objects.all()}
    # A program whose slug staff changed is still there: found by its name.
    by_name = {program.name: program for program in saved.values()}
    programs, created = {}, 0
    for spec in catalog:
        fields = {name: value for name, value in spec.items() if name != "metrics"}
        program = saved.get(spec["slug"]) or by_name.get(spec["name"])
        if program is None:
            program = _add(Program(**fields))
            created += 1
        programs[spec["slug"]] = program
    return programs, created


def _metrics(catalog, programs):
    """Create each of the catalog's metrics that is missing (by key); how many were."""
    saved = {metric.key: metric for metric in Metric.objects.all()}
    created = 0
    for spec in catalog:
        for fields in spec["metrics"]:
            if fields["key"] in saved:
                continue
            parent = fields.get("parent")  # listed before its parts
            metric = Metric(
                **{**fields, "program": programs[spec["slug"]], "parent": saved.get(parent)}
            )
            saved[metric.key] = _add(metric)
            created += 1
    return created


def _figures():
    """Import and publish the 2023 figures if there is no 2023 edition yet; how many."""
    if Edition.objects.filter(year=YEAR).exists():
        return None
    editions_ensure([YEAR], reason=REASON)
    table = read_table(FIGURES.read_bytes(), file_name=FIGURES.name)
    report = figures_import(table=table, file_name=FIGURES.name, reason=REASON)
    if not report.ok:
        raise DemoDataError(
            "Demo data: nothing was saved; the metrics as they stand refuse the demo's "
            f"figures ({FIGURES.name}). " + " ".join(str(error) for error in report.errors)
        )
    edition_publish(edition=Edition.objects.get(year=YEAR), reason=REASON)
    return report.created
