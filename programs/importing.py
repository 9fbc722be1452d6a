"""Importing a file of annual figures: one code path for the admin and the
``import_figures`` command.

A file is read into a :class:`Table` (programs/figure_files.py), every row is checked
(programs/figure_rows.py), and only a file with no error at all is saved, in one
transaction. Figures readers cannot see yet (a draft edition, an unpublished program)
are written at once, in bulk; a change to a figure readers see is staged as a pending
change for a Publisher (programs/corrections.py), never written to the figure.
"""

import logging
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from ncmec_site.logs import who

from . import formatting
from .corrections import Proposal, lock_editions, pending_changes_stage
from .figure_checks import candidate_flags
from .figure_files import Table
from .figure_rows import RowError, check_rows, lookups
from .import_reports import ImportReport, RowChange, RowFlag
from .models import Edition, Figure, PendingChange, Program
from .models.revisions import FIGURE_TEXT_FIELDS, FieldChange, field_changes
from .publishing import editions_ensure

logger = logging.getLogger(__name__)


def _lock():
    """Serialise imports: two at once would both see a figure as new."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('programs.figure import'))")
    # SQLite takes a database-wide write lock on the first write of the transaction.


def figures_import(
    *,
    table: Table,
    user=None,
    dry_run: bool = False,
    file_name: str = "",
    reason: str = "",
    progress: Callable[[str, int, int], None] | None = None,
    checks: bool | None = None,
) -> ImportReport:
    """Check every row of a table, then save all of it or, on any error, nothing.

    Rows are matched on (metric, year, state): a row like the figure changes nothing;
    a different value, qualifier, source or note updates it. A year with no edition gets
    a draft one. A new or changed figure that readers see (a published edition of a
    published program) is staged, with ``reason`` (required then), for a Publisher.
    ``checks``: flag the rows (``ImportReport.flags``; programs/figure_checks): by
    default in a dry run only (the preview shows them); True in a real import too (the
    command prints them), False never. A fixed number of queries, about 0.45 s for
    50,000 rows.
    """
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    progress = progress or (lambda stage, done, total: None)
    metrics, states = lookups()
    rows, report.errors = check_rows(table, metrics, states)
    progress("checked", len(table.rows), len(table.rows))
    if report.errors:
        return report

    with transaction.atomic():
        _lock()
        years = {row.year for row in rows}
        # Whether readers see a figure is decided under the locks that publishing takes,
        # so that no edition or program can be published between this and the write.
        published = {e.year for e in lock_editions(years) if e.is_published}
        _lock_programs({row.metric for row in rows})
        # (pk, fields) of each saved figure: plain tuples, as 100,000 model instances
        # would cost seconds to build.
        existing = {
            (metric_id, year, state_id): (pk, dict(zip(FIGURE_TEXT_FIELDS, fields, strict=True)))
            for pk, metric_id, year, state_id, *fields in (
                Figure.objects.filter(year__in=years)
                .order_by()
                .values_list("pk", "metric_id", "year", "state_id", *FIGURE_TEXT_FIELDS)
            )
        }
        pending = {
            (p.metric_id, p.year, p.state_id): p
            for p in PendingChange.objects.filter(year__in=years).order_by()
        }
        new, changed, proposals = [], [], []
        for row in rows:
            key = (row.metric.pk, row.year, row.state.pk if row.state else None)
            saved_pk, published_fields = existing.get(key, (None, None))
            staged = Figure.is_public_for(row.metric, row.year, published)
            # A published figure is compared with what staff preview: its pending change.
            before = pending[key].new_fields() if staged and key in pending else published_fields
            for name in ("qualifier", "source", "note"):
                if getattr(row, name) is None:  # a column the file leaves out keeps its text
                    setattr(row, name, (before or published_fields or {}).get(name, ""))
            after = {n: getattr(row, n) for n in FIGURE_TEXT_FIELDS}
            exists = before is not None or published_fields is not None
            kind = "new" if not exists else ("unchanged" if before == after else "changed")
            unstaged = staged and kind == "changed" and after == published_fields
            detail = field_changes(row.metric.unit, before, after) if kind == "changed" else []
            if before is None and kind == "changed":  # the row takes back a withdrawal
                detail = field_changes(row.metric.unit, published_fields, after) or [
                    FieldChange("value", "withdrawal pending", "kept as published")
                ]
            report.changes.append(
                RowChange(
                    row.row, kind, row.metric.key, row.year,
                    row.state.name if row.state else "United States",
                    formatting.format_figure(row.value, row.metric.unit, row.qualifier),
                    "" if before is None else formatting.format_figure(
                        before["value"], row.metric.unit, before["qualifier"]),
                    staged=staged and kind != "unchanged" and not unstaged,
                    detail="; ".join(str(change) for change in detail),
                    unstaged=unstaged,
                    qualifier=row.qualifier, source=row.source, note=row.note,
                )
            )  # fmt: skip
            if staged:
                if kind != "unchanged":
                    if not reason.strip() and not unstaged:
                        report.errors.append(_reason_error(row, detail))
                        report.reason_rows.append(row.row)
                    # The figure itself is found again under the editions' lock.
                    proposals.append(Proposal(row.metric, row.year, row.state, None, **after))
            elif kind == "new":
                new.append(row)
            elif kind == "changed":
                changed.append((saved_pk, row))
        report.new_editions = sorted(years - set(Edition.objects.values_list("year", flat=True)))
        report.published_years = sorted(published)
        if (dry_run if checks is None else checks) and not report.errors:
            report.flags = _flags(rows)
        if report.errors or dry_run:
            return report
        editions_ensure(report.new_editions, user=user)
        history_reason = f"Imported from {file_name or 'a file'}"
        if reason.strip():
            history_reason += f": {reason.strip()}"
        _write(new, changed, user=user, reason=history_reason, progress=progress)
        if proposals:
            pending_changes_stage(proposals=proposals, user=user, reason=reason)
    years = sorted({row.year for row in rows})
    logger.info(
        "%s imported %s: %s new, %s changed, %s staged for a Publisher, %s unchanged.",
        who(user),
        file_name or "a file",
        len(new),
        len(changed),
        report.staged,
        report.unchanged,
        extra={
            "event": "figures.imported",
            "user": who(user),
            "file_name": file_name,
            "years": years,
            "rows": len(rows),
            "new": len(new),  # the figures written
            "changed": len(changed),
            "staged": report.staged,
        },
    )
    return report


def _flags(rows):
    """The flags of programs.figure_checks on the file's rows, each with its row number,
    in the file's order; those of no row of it (a saved figure, the states together) last."""
    by_key = {(row.metric.pk, row.year, row.state.pk if row.state else None): row for row in rows}
    # A checked row has what a Candidate has (its text filled in by figures_import): as
    # is, since building 200,000 candidates would cost a tenth of a second more.
    flags = [
        RowFlag(by_key[flag.key].row if flag.key in by_key else None, flag)
        for flag in candidate_flags(rows)
    ]
    return sorted(flags, key=lambda flagged: (flagged.row is None, flagged.row or 0))


def _lock_programs(metrics):
    """Read the programs the file names afresh, locked, onto its metrics: a program
    published since the metrics were looked up makes its figures public."""
    fresh = dict(
        Program.objects.select_for_update()
        .filter(pk__in={m.program_id for m in metrics})
        .values_list("pk", "is_published")
    )
    for metric in metrics:
        if metric.program_id is not None:  # reference data (population) has no program
            metric.program.is_published = fresh[metric.program_id]


def _reason_error(row, detail):
    column = detail[0].field if detail else "value"
    what = ", ".join(change.field for change in detail) if detail else "figure"
    action = f"changes the {what} of a figure" if detail else "adds a figure"
    return RowError(
        row.row,
        column,
        f"this {action} in the published {row.year} edition. Give a reason for the "
        "change: readers see it in the revision note.",
    )


def _write(new, changed, *, user, reason, progress):
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    table = Figure._meta.db_table
    insert_columns = (
        "metric_id", "year", "state_id", "value", "qualifier", "source", "note",
        "created", "updated", "updated_by_id",
    )  # fmt: skip
    inserts = [
        (row.metric.pk, row.year, row.state.pk if row.state else None, row.value,
         row.qualifier, row.source, row.note, now, now, user_id)
        for row in new
    ]  # fmt: skip
    updates = [
        (pk, row.value, row.qualifier, row.source, row.note, now, user_id) for pk, row in changed
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _write_postgresql(cursor, table, insert_columns, inserts, updates)
        else:
            quoted = ", ".join(insert_columns)
            placeholders = ", ".join(["%s"] * len(insert_columns))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", inserts)
            cursor.executemany(
                f"UPDATE {table} SET value = %s, qualifier = %s, source = %s, note = %s, "
                "updated = %s, updated_by_id = %s, revision_id = NULL WHERE id = %s",
                [(*rest, pk) for pk, *rest in updates],
            )
        _record_history(cursor, now=now, user_id=user_id, reason=reason)
    progress("saved", len(new) + len(changed), len(new) + len(changed))


def _record_history(cursor, *, now, user_id, reason):
    """Add the history of every figure this import wrote, in one statement.

    django-simple-history records a figure saved one by one; a bulk write bypasses
    save(), so its rows (all stamped ``updated = now`` under the import lock) are
    copied into the history table the same way the library would write them.
    """
    history = Figure.history.model._meta.db_table
    figures = Figure._meta.db_table
    columns = "id, metric_id, year, state_id, value, qualifier, source, note"
    cursor.execute(
        f"INSERT INTO {history} ({columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT {columns}, %s, %s, CASE WHEN created = updated THEN '+' ELSE '~' END, %s "
        f"FROM {figures} WHERE updated = %s",
        [now, reason, user_id, now],
    )


def _write_postgresql(cursor, table, insert_columns, inserts, updates):
    """COPY the rows in: the database's own fast path, constraints still checked."""
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper
    if inserts:
        with raw.copy(f"COPY {table} ({', '.join(insert_columns)}) FROM STDIN") as copy:
            for row in inserts:
                copy.write_row(row)
    if updates:
        raw.execute(
            "CREATE TEMPORARY TABLE figure_import_update (id bigint, value numeric, "
            "qualifier varchar(10), source varchar(300), note text, updated timestamptz, "
            "updated_by_id integer) ON COMMIT DROP"
        )
        with raw.copy("COPY figure_import_update FROM STDIN") as copy:
            for row in updates:
                copy.write_row(row)
        raw.execute(
            f"UPDATE {table} AS f SET value = u.value, qualifier = u.qualifier, "
            "source = u.source, note = u.note, updated = u.updated, "
            "updated_by_id = u.updated_by_id, revision_id = NULL "
            "FROM figure_import_update AS u WHERE f.id = u.id"
        )
