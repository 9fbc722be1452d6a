"""The demo data: NCMEC's published record. NCMEC's Minnesota 2023 fact sheet (the seed,
shared/seed/ncmec-minnesota-2023.md) and the tables of NCMEC's public figures
(samples/ncmec-public/): CyberTipline reports 1998-2023, by state with each state's
population, with a user in the United States, and the contents and recipients of the
reports. The programs, metrics and sources are in demo_catalog/; the figures are the
import files in samples/ (FIGURE_FILES), saved by the importer as staff's are, each
naming its source.

The demo only adds what is missing, so running it again never undoes a staff edit: a
program (by slug), metric (by key) or source (by title) that is there is left as it is,
and figures go only into the editions the demo creates itself (a figure missing from an
edition that exists may be one staff withdrew). Each edition it creates is published.

It adds nothing at all to a database whose record anyone but the demo has changed (a
Publisher's, an Editor's or a command's history row, a staged change, a revision note, a
held upload: ``demo_refusal``), so set-up never writes to a record staff keep; told to
(``force``), it adds what is missing as above.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from .figure_files import Table, read_table
from .formatting import word_list
from .importing import figures_import
from .models import (
    Edition,
    Figure,
    HeldUpload,
    Metric,
    MetricNote,
    PendingChange,
    Program,
    Revision,
    Source,
    public_change,
)
from .publishing import edition_publish, editions_ensure, plural

CATALOG = Path(__file__).with_name("demo_catalog")
SAMPLES = Path(settings.BASE_DIR) / "samples"
FIGURE_FILES = (
    "ncmec-figures-2023.csv",
    "cybertipline-reports-per-year-1998-2022.csv",
    "cybertipline-reports-united-states-2019-2023.csv",
    "cybertipline-reports-by-state-2023.csv",
    "cybertipline-report-contents-2020-2023.csv",
    "cybertipline-report-recipients-2020-2023.csv",
)
# The seed alone (its fact sheet's programs, metrics and 2023 figures): what most tests
# build on, a fifth of the demo's time to load.
SEED_CATALOG = ("1-fact-sheet.toml", "3-reference-and-sources.toml")
SEED_FIGURE_FILES = ("ncmec-figures-2023.csv",)
REASON = "Demo data (NCMEC's published figures)"


class DemoDataError(Exception):
    """The demo's figures do not fit the metrics as they stand; nothing was saved."""


class DemoRefused(Exception):
    """Someone other than the demo has changed the record; the demo added nothing."""


@dataclass(frozen=True)
class DemoLoad:
    """What demo_data_load() did, as (created, kept) counts; its str() says so."""

    programs: tuple[int, int]
    metrics: tuple[int, int]
    sources: tuple[int, int]
    editions: tuple[int, int]
    figures_created: int  # into the editions created

    def __str__(self):
        words = {"programs": "program", "metrics": "metric", "sources": "source"}
        created = [plural(getattr(self, name)[0], word) for name, word in words.items()]
        kept = [plural(getattr(self, name)[1], word) for name, word in words.items()]
        created = [text for text in created if not text.startswith("0 ")]
        kept = [text for text in kept if not text.startswith("0 ")]
        made, left = self.editions
        if made:
            figures = plural(self.figures_created, "figure")
            created.append(f"{plural(made, 'edition')} with {figures}")
        if left:
            kept.append(plural(left, "edition"))
        if not kept:
            return f"Demo data: created {word_list(created)}."
        one = len(kept) == 1 and kept[0].startswith("1 ")
        left = f"{word_list(kept)} " + (
            "was already there and was left as it is"
            if one
            else "were already there and were left as they are"
        )
        if not created:
            return f"Demo data: nothing to add; {left}."
        return f"Demo data: created {word_list(created)}; {left}."


def demo_catalog(*, seed_only=False):
    """The catalog's files read as one: {"programs": […], "metrics": […], "sources": […]},
    each metric naming its program's slug ("program", absent for reference data)."""
    catalog = {"programs": [], "metrics": [], "sources": []}
    for path in sorted(CATALOG.glob("*.toml")):
        if seed_only and path.name not in SEED_CATALOG:
            continue
        part = tomllib.loads(path.read_text(encoding="utf-8"))
        for spec in part.get("programs", []):
            catalog["programs"].append({k: v for k, v in spec.items() if k != "metrics"})
            catalog["metrics"] += [{**m, "program": spec["slug"]} for m in spec["metrics"]]
        catalog["metrics"] += part.get("metrics", [])
        catalog["sources"] += part.get("sources", [])
    return catalog


# What the demo writes, each row with a history row (user None, REASON), and what it never
# writes: any row of the latter, or a history row of the former by anyone else, is staff's.
WRITTEN = ((Program, "programs"), (Metric, "metrics"), (MetricNote, "metric notes"),
           (Source, "sources"), (Edition, "editions"), (Figure, "figures"))  # fmt: skip
NEVER_WRITTEN = ((PendingChange, "staged change"), (Revision, "revision note"),
                 (HeldUpload, "held upload"))  # fmt: skip


def demo_refusal() -> str | None:
    """Why the demo may add nothing, in a sentence: the record holds the changes of someone
    other than the demo (a Publisher renamed a program's slug, an import added figures); None
    when it holds the demo alone, or nothing. Reads only; a query per model."""
    the_demos = Q(history_user=None, history_change_reason__endswith=REASON)
    changed, users, count = [], set(), 0
    for model, name in WRITTEN:
        rows = (model.history.exclude(the_demos).order_by()
                .values_list("history_user__username").annotate(n=Count("pk")))  # fmt: skip
        for username, n in rows:
            users.add(username or "a command")
            count += n
        if rows:
            changed.append(name)
    held = [plural(n, word) for model, word in NEVER_WRITTEN if (n := model.objects.count())]
    if not count and not held:
        return None
    what = []
    if count:
        who = word_list(sorted(users, key=lambda user: (user == "a command", user)))
        what.append(f"{plural(count, 'change')} to {word_list(changed)}, by {who}")
    return (
        f"The catalogue has been changed by staff ({'; '.join(what + held)}): "
        "the demo adds nothing. Run load_demo_data with --force to add what is missing anyway."
    )


def demo_data_load(*, seed_only=False, force=False) -> DemoLoad:
    """Add whatever of the demo is missing, in one transaction; change nothing that is
    there. ``seed_only``: the seed's fact sheet alone (SEED_CATALOG, SEED_FIGURE_FILES).
    Raises DemoRefused, writing nothing, when staff have changed the record (demo_refusal),
    unless ``force``."""
    if not force and (refusal := demo_refusal()):
        raise DemoRefused(refusal)
    catalog = demo_catalog(seed_only=seed_only)
    with public_change():  # the system's own doing (user=None)
        programs, programs_created = _programs(catalog["programs"])
        metrics_created = _metrics(catalog["metrics"], programs)
        sources_created = _sources(catalog["sources"])
        editions, figures_created = _figures(SEED_FIGURE_FILES if seed_only else FIGURE_FILES)
    years = len(editions[0]) + len(editions[1])
    return DemoLoad(
        programs=(programs_created, len(catalog["programs"]) - programs_created),
        metrics=(metrics_created, len(catalog["metrics"]) - metrics_created),
        sources=(sources_created, len(catalog["sources"]) - sources_created),
        editions=(len(editions[0]), years - len(editions[0])),
        figures_created=figures_created,
    )


def _add(obj):
    # The fields, choices and uniqueness, as the admin checks them; the check constraints
    # the database enforces as the row is written (one query each in Python, four per
    # metric: half the time of loading the demo, which many tests do).
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as error:  # e.g. a staff metric has the demo metric's label
        problems = " ".join(message for messages in error.message_dict.values()
                            for message in messages)  # fmt: skip
        raise DemoDataError(
            f"Demo data: nothing was saved; what is there refuses the demo's “{obj}”. " + problems
        ) from error
    obj._change_reason = REASON
    obj.save()
    return obj


def _programs(specs):
    """The catalog's programs by slug, each created if missing; and how many were."""
    saved = {program.slug: program for program in Program.objects.all()}
    # A program whose slug staff changed is still there: found by its name.
    by_name = {program.name: program for program in saved.values()}
    programs, created = {}, 0
    for spec in specs:
        program = saved.get(spec["slug"]) or by_name.get(spec["name"])
        if program is None:
            program = _add(Program(**spec))
            created += 1
        programs[spec["slug"]] = program
    return programs, created


def _metrics(specs, programs):
    """Create each of the catalog's metrics that is missing (by key), with its notes;
    how many were."""
    saved = {metric.key: metric for metric in Metric.objects.all()}
    created = 0
    for spec in specs:
        if spec["key"] in saved:
            continue
        links = {"program", "parent", "national_total", "notes"}
        fields = {k: v for k, v in spec.items() if k not in links}
        metric = Metric(
            **fields,
            program=programs[spec["program"]] if spec.get("program") else None,
            # Listed before the metrics that name them.
            parent=saved.get(spec.get("parent")),
            national_total=saved.get(spec.get("national_total")),
        )
        saved[metric.key] = _add(metric)
        for note in spec.get("notes", []):
            _add(MetricNote(metric=metric, **note))
        created += 1
    return created


def _sources(specs):
    """Create each of the catalog's sources that is missing (by title); how many were."""
    saved = set(Source.objects.values_list("title", flat=True))
    missing = [spec for spec in specs if spec["title"] not in saved]
    for spec in missing:
        _add(Source(**spec))
    return len(missing)


def _figures(files):
    """Import the figures of ``files`` of the years that have no edition yet, and publish
    those editions: ((the years created, the years that were there), how many figures)."""
    tables = {name: read_table((SAMPLES / name).read_bytes(), file_name=name)
              for name in files}  # fmt: skip
    year_of = {name: table.columns.index("year") for name, table in tables.items()}
    years = {int(row[year_of[name]]) for name, table in tables.items() for row in table.rows}
    created = editions_ensure(sorted(years), reason=REASON)
    figures = 0
    for name, table in tables.items():
        rows = [row for row in table.rows if int(row[year_of[name]]) in created]
        if not rows:
            continue
        report = figures_import(table=Table(table.columns, rows, table.first_row),
                                file_name=name, reason=REASON)  # fmt: skip
        if not report.ok:
            raise DemoDataError(
                "Demo data: nothing was saved; the metrics as they stand refuse the demo's "
                f"figures ({name}). " + " ".join(str(error) for error in report.errors)
            )
        figures += report.created
    for edition in Edition.objects.filter(year__in=created):
        edition_publish(edition=edition, reason=REASON)
    return (created, sorted(years - set(created))), figures
