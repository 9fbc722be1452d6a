"""django-import-export's side of figure files: the formats the admin offers, and the
resource whose import hands the file to programs.importing (the same path as the
``import_figures`` command) and whose export writes the import's own format."""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.results import InvalidRow, Result, RowResult

from ncmec_site.spreadsheets import GuardedExport

from . import figure_files, importing
from .formatting import plain_number
from .models import Figure, Metric

# New and unchanged rows listed one by one in the admin preview (changed rows are all
# listed); the totals always cover the whole file.
PREVIEW_ROWS = 1000
# The cells shown beside a row's errors, so that staff can find the row in the file.
ERROR_CELLS = ("year", "state", "metric", "value")
# The optional columns the preview shows when the file has them.
TEXT_COLUMNS = ("qualifier", "source", "note")


class FigureFileFormat:
    """Reads an upload with programs.figure_files.read_table: raw bytes in, clear errors out."""

    file_format = "csv"

    def is_binary(self):
        return True  # decode ourselves, so a wrong encoding gets a clear message

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if in_stream is None:  # the stored upload expired between preview and confirm
            raise figure_files.ImportFileError(
                "The uploaded file is no longer stored (previews expire). Upload it again."
            )
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        return TableDataset(figure_files.read_table(data, file_format=self.file_format))


class TableDataset(tablib.Dataset):
    """The Table read from an upload, in the envelope django-import-export passes from
    reading to FigureResource.import_data.

    The rows stay in the Table, as read: tablib would refuse a row with a cell too many
    or too few (InvalidDimensions) before any row is checked, where the command line
    gets a row error from check_rows. So tablib holds none of them; its length is the
    file's, which is all the admin asks of it ("no valid data" when it is empty).
    """

    def __init__(self, table: figure_files.Table):
        super().__init__(headers=list(table.columns))
        self.table = table

    def __len__(self):
        return len(self.table.rows)


class CSV(FigureFileFormat, base_formats.CSV):
    file_format = "csv"


class XLSX(FigureFileFormat, base_formats.XLSX):
    file_format = "xlsx"


class JSON(FigureFileFormat, base_formats.JSON):
    file_format = "json"


FORMATS = [CSV, XLSX, JSON]
EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX, base_formats.JSON]


class FigureResource(GuardedExport, resources.ModelResource):
    """One row per figure: year, state, metric, value, qualifier, source, note; text
    cells guarded against formulas (GuardedExport), which the import takes off."""

    number_columns = ("year", "value")

    year = fields.Field(attribute="year", column_name="year")
    state = fields.Field(column_name="state")
    metric = fields.Field(column_name="metric")
    value = fields.Field(column_name="value")
    qualifier = fields.Field(attribute="qualifier", column_name="qualifier")
    source = fields.Field(column_name="source")
    note = fields.Field(column_name="note")

    class Meta:
        model = Figure
        fields = figure_files.COLUMNS
        export_order = figure_files.COLUMNS

    def get_export_headers(self, selected_fields=None):
        return list(figure_files.COLUMNS)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("metric", "state").order_by(
            "-year", "metric__key", "state__code"
        )

    def dehydrate_state(self, figure):
        return figure.state.code if figure.state_id else "US"

    def dehydrate_metric(self, figure):
        return figure.metric.key

    def dehydrate_value(self, figure):
        return plain_number(figure.value)

    def dehydrate_source(self, figure):
        return figure.source

    def dehydrate_note(self, figure):
        return figure.note

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import through programs.importing: every row checked, then all saved or none."""
        table = getattr(dataset, "table", None)
        if table is None:  # a Dataset built in code rather than read from a file
            table = figure_files.Table(
                columns=tuple(dataset.headers),
                rows=[tuple("" if cell is None else str(cell) for cell in row) for row in dataset],
                first_row=2,
            )
        report = importing.figures_import(
            table=table,
            user=kwargs.get("user"),
            dry_run=dry_run,
            file_name=kwargs.get("file_name") or "",
            reason=kwargs.get("reason") or "",
        )
        return report_as_result(report, table)


def report_as_result(report, table):
    """Show an import report in django-import-export's preview and error tables.

    A row with errors is one invalid row holding each error's whole sentence, as the
    command line prints it, and the row's cells as the file has them
    (``result.error_headers``); the row number is the invalid row's number, not a cell.
    """
    result = Result()
    # The file's own text columns too, where it has them (they are what a row saves).
    texts = [column for column in TEXT_COLUMNS if column in table.columns]
    result.diff_headers = ["Row", "Metric", "Year", "Place", "Value"] + [
        column.capitalize() for column in texts
    ]
    result.text_columns = texts
    result.error_headers = [column.capitalize() for column in ERROR_CELLS]
    result.report = report
    flagged = {}
    for row_flag in report.flags:
        flagged.setdefault(row_flag.row, []).append(row_flag.flag)
    by_row = {}
    for error in report.errors:
        messages = by_row.setdefault(error.row, {})
        messages.setdefault(error.column or NON_FIELD_ERRORS, []).append(str(error))
    for number, messages in by_row.items():
        cells = dict(zip(table.columns, table.rows[number - table.first_row], strict=False))
        values = tuple(cells.get(column, "").strip() for column in ERROR_CELLS)
        result.invalid_rows.append(InvalidRow(number, ValidationError(messages), values))
    for change in report.changes:
        row_result = RowResult()
        row_result.import_type = {
            "new": RowResult.IMPORT_TYPE_NEW,
            "changed": RowResult.IMPORT_TYPE_UPDATE,
            "unchanged": RowResult.IMPORT_TYPE_SKIP,
        }[change.kind]
        result.increment_row_result_total(row_result)
        # Every change is listed; new and unchanged rows up to PREVIEW_ROWS, so that a
        # 100,000-row file does not make a page too large to open.
        if change.kind == "changed" or len(result.rows) < PREVIEW_ROWS:
            value = change.value
            if change.kind == "changed":
                # Name what changes: a new source alone is not "36.2 million → 36.2 million".
                value = change.detail or f"{change.old_value} → {change.value}"
                if change.detail.startswith("value: "):
                    value = change.detail.removeprefix("value: ")
            row_result.diff = [change.row, change.metric, change.year, change.place, value]
            row_result.texts = [(column, _text_cell(change, column)) for column in texts]
            row_result.diff += [text for _, text in row_result.texts]
            row_result.staged = change.staged
            row_result.flags = flagged.get(change.row, [])
            result.append_row_result(row_result)
    result.total_rows = len(table.rows)
    return result


def _text_cell(change, column):
    """A qualifier as the file writes it ("more than"), a source or a note; "—" if blank."""
    text = getattr(change, column) or ""
    return (text.replace("_", " ") if column == "qualifier" else text) or "—"


class MetricResource(GuardedExport, resources.ModelResource):
    """The metric list as staff export it: every cell is text, guarded against formulas."""

    program = fields.Field(attribute="program__slug", column_name="program")
    parent = fields.Field(attribute="parent__key", column_name="parent")

    class Meta:
        model = Metric
        fields = ("key", "program", "label", "scope", "unit", "parent", "definition", "sentence")
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("program", "parent")
