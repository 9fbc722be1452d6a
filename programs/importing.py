"""Importing a file of annual figures: one code path for the admin and the
``import_figures`` command.

A file is read into a :class:`Table` (programs/figure_files.py), every row is checked, and
only a file with no error at all is written, in one transaction. The rules a figure
obeys are the model's (:meth:`Figure.rule_errors`), applied here without a query per
row so that 100,000 rows import in seconds.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from states.models import State

from . import formatting
from .figure_files import Table, row_is_filled, unguard
from .models import FIRST_YEAR, Edition, Figure, Metric, latest_allowed_year
from .publishing import editions_ensure

NATIONAL_CODES = {"", "us", "usa", "united states"}
QUALIFIERS = {
    "": formatting.EXACT,
    "exact": formatting.EXACT,
    "more_than": formatting.MORE_THAN,
    "more than": formatting.MORE_THAN,
    "rounded": formatting.ROUNDED,
}
# A number, with or without thousands separators: 8611, 8,611, 36200000, 19.5
NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$", re.ASCII)
MAX_SOURCE = Figure._meta.get_field("source").max_length


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return f"Row {self.row}, column “{self.column}”: {self.message}"


@dataclass(slots=True)
class RowChange:
    row: int
    kind: str  # "new", "changed" or "unchanged"
    metric: str
    year: int
    place: str
    value: str
    old_value: str = ""


@dataclass
class ImportReport:
    file_name: str = ""
    dry_run: bool = False
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_editions: list[int] = field(default_factory=list)

    def count(self, kind):
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def created(self):
        return self.count("new")

    @property
    def updated(self):
        return self.count("changed")

    @property
    def unchanged(self):
        return self.count("unchanged")

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        verb = "would be" if self.dry_run else "were"
        if not self.ok:
            return (
                f"{len(self.errors)} error(s) in {self.file_name or 'the file'}: "
                "nothing was saved."
            )
        editions = "".join(
            f" The {year} edition {verb} created as a draft." for year in self.new_editions
        )
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"0 errors ({self.created + self.updated} figures {verb} saved).{editions}"
        )


# Checking ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    row: int
    metric: Metric
    year: int
    state: State | None
    value: Decimal
    qualifier: str
    source: str
    note: str


_UNKNOWN = object()
VALUE_DIGITS = Figure._meta.get_field("value").max_digits
VALUE_PLACES = Figure._meta.get_field("value").decimal_places


def _qualifier(text):
    return QUALIFIERS.get(" ".join(text.lower().replace("_", " ").replace("-", " ").split()),
                          _UNKNOWN)  # fmt: skip


def _size(value: Decimal):
    """(digits before the point, digits after it) of a non-negative decimal."""
    sign, digits, exponent = value.as_tuple()
    places = max(0, -exponent)
    return max(0, len(digits) - places), places


def _check_rows(table: Table, metrics, states):
    """Parse and check every row: (rows, errors). No query."""
    index = {name: i for i, name in enumerate(table.columns) if name}
    latest = latest_allowed_year()
    rows, errors, seen = [], [], {}
    for number, raw in enumerate(table.rows, table.first_row):
        if not row_is_filled(raw):
            continue  # a blank line still counts, so row numbers match the spreadsheet
        width = len(raw)
        cells = {name: raw[i].strip() if i < width else "" for name, i in index.items()}
        row_errors = []

        def error(column, message, row_errors=row_errors, number=number):
            row_errors.append(RowError(number, column, message))

        year_text = cells.get("year", "")
        year = None
        if not year_text:
            error("year", "the year is missing.")
        elif not (year_text.isascii() and year_text.isdigit()):
            error("year", f"“{year_text}” is not a year; write it as four digits, like 2023.")
        else:
            year = int(year_text)
            if not FIRST_YEAR <= year <= latest:
                error("year", f"{year} is out of range: years run from {FIRST_YEAR} to {latest}.")
                year = None

        state_text = cells.get("state", "")
        state, state_ok = None, True
        if state_text.lower() not in NATIONAL_CODES:
            state = states.get(state_text.lower())
            if state is None:
                state_ok = False
                error(
                    "state",
                    f"unknown state “{state_text}”. Use a USPS code (MN) or a full name "
                    "(Minnesota), or US for a national figure.",
                )

        metric_text = cells.get("metric", "")
        metric = metrics.get(metric_text.lower())
        if metric is None:
            error(
                "metric",
                f"unknown metric “{metric_text}”." if metric_text else "the metric is missing.",
            )

        value_text = cells.get("value", "")
        value = None
        if not value_text:
            error("value", "the value is missing.")
        elif value_text.startswith("-") and NUMBER.match(value_text[1:]):
            error("value", f"{value_text} is negative; figures cannot be below 0.")
        elif not NUMBER.match(value_text):
            error("value", f"“{value_text}” is not a number (write 8611 or 8,611).")
        else:
            value = Decimal(value_text.replace(",", ""))
            digits, places = _size(value)
            if places > VALUE_PLACES:
                error("value", f"{value_text} has more than {VALUE_PLACES} decimal places.")
                value = None
            elif digits > VALUE_DIGITS - VALUE_PLACES:
                error("value", f"{value_text} is too large to be a figure.")
                value = None

        # A column the file leaves out keeps the saved text (None: not in the file).
        qualifier_text = cells.get("qualifier")
        if qualifier_text is None:
            qualifier = None
        else:
            qualifier = _qualifier(qualifier_text)
            if qualifier is _UNKNOWN:
                error(
                    "qualifier",
                    f"“{qualifier_text}” is not a qualifier: leave it blank, or write "
                    "“more than” or “rounded”.",
                )

        source = cells.get("source")
        if source is not None:
            source = unguard(source)
            if len(source) > MAX_SOURCE:
                error(
                    "source",
                    f"the source is {len(source)} characters; the limit is {MAX_SOURCE}.",
                )
        note = cells.get("note")
        note = None if note is None else unguard(note)

        if metric is not None and state_ok:
            rule_errors = Figure.rule_errors(metric=metric, state=state, value=value, year=year)
            for column, messages in rule_errors.items():
                for message in messages:
                    error(column, message[0].lower() + message[1:])

        if not row_errors:
            key = (metric.pk, year, state.pk if state else None)
            if key in seen:
                error(
                    "metric",
                    f"the same figure ({metric.key}, {year}, "
                    f"{state.name if state else 'national'}) is also in row {seen[key]}.",
                )
            else:
                seen[key] = number

        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(_Row(number, metric, year, state, value, qualifier, source, note))
    return rows, errors


# Writing ----------------------------------------------------------------------------


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
) -> ImportReport:
    """Check every row of a table, then save all of it or, on any error, nothing.

    Rows are matched on (metric, year, state): a row like the saved figure changes
    nothing; a different value, qualifier, source or note updates it. A year with no
    edition gets a draft one. Changing a figure of a published edition needs a
    ``reason``; every figure saved is recorded in its history with the file's name.
    """
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    progress = progress or (lambda stage, done, total: None)
    metrics = {metric.key.lower(): metric for metric in Metric.objects.all()}
    states = {}
    for state in State.objects.all():
        states[state.code.lower()] = state
        states[state.name.lower()] = state
    rows, report.errors = _check_rows(table, metrics, states)
    progress("checked", len(table.rows), len(table.rows))
    if report.errors:
        return report

    with transaction.atomic():
        _lock()
        existing = {
            (metric_id, year, state_id): (pk, value, qualifier, source, note)
            for pk, metric_id, year, state_id, value, qualifier, source, note in (
                Figure.objects.filter(year__in={row.year for row in rows})
                .order_by()
                .values_list(
                    "pk", "metric_id", "year", "state_id", "value", "qualifier", "source", "note"
                )
            )
        }
        new, changed = [], []
        for row in rows:
            key = (row.metric.pk, row.year, row.state.pk if row.state else None)
            unit = row.metric.unit
            place = row.state.name if row.state else "United States"
            saved = existing.get(key)
            if saved is None:
                row.qualifier, row.source, row.note = (
                    row.qualifier or "",
                    row.source or "",
                    row.note or "",
                )
                new.append(row)
                kind, old = "new", ""
            else:
                pk, value, qualifier, source, note = saved
                old = formatting.format_figure(value, unit, qualifier)
                row.qualifier = qualifier if row.qualifier is None else row.qualifier
                row.source = source if row.source is None else row.source
                row.note = note if row.note is None else row.note
                if (value, qualifier, source, note) == (
                    row.value,
                    row.qualifier,
                    row.source,
                    row.note,
                ):
                    kind = "unchanged"
                else:
                    kind = "changed"
                    changed.append((pk, row))
            text = formatting.format_figure(row.value, unit, row.qualifier)
            report.changes.append(
                RowChange(row.row, kind, row.metric.key, row.year, place, text, old)
            )
        published = set(Edition.objects.published().values_list("year", flat=True))
        report.new_editions = sorted(
            {row.year for row in rows} - set(Edition.objects.values_list("year", flat=True))
        )
        if not reason.strip():
            report.errors = [
                RowError(
                    number,
                    "value",
                    f"this changes a figure of the published {row.year} edition; give a "
                    "reason for the change.",
                )
                for number, row in ((row.row, row) for _, row in changed)
                if row.year in published
            ]
        if report.errors or dry_run:
            return report
        editions_ensure(report.new_editions, user=user)
        history_reason = f"Imported from {file_name or 'a file'}"
        if reason.strip():
            history_reason += f": {reason.strip()}"
        _write(new, changed, user=user, reason=history_reason, progress=progress)
    return report


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
                "updated = %s, updated_by_id = %s WHERE id = %s",
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
            "updated_by_id = u.updated_by_id FROM figure_import_update AS u WHERE f.id = u.id"
        )
