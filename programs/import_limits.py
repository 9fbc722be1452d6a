"""What a figure file may hold: its columns, and how large it, its rows and its cells
may be (FIGURE_IMPORT_MAX_* in settings). ImportFileError refuses a file past them, or
one that cannot be read at all."""

from django.conf import settings

# Control characters but tab and line breaks (a spreadsheet cell's lines), as a form's
# field may hold them: PostgreSQL refuses a NUL in text (a 500 at the import's
# confirmation), and none is text to show.
from ncmec_site.control_characters import FORM_CONTROL as CONTROL

COLUMNS = ("year", "state", "metric", "value", "qualifier", "source", "note")


class ImportFileError(Exception):
    """The file as a whole cannot be read as a table of figures; nothing was saved."""


def too_large(size):
    """Why a file of ``size`` bytes is refused unread."""
    limit = settings.FIGURE_IMPORT_MAX_BYTES
    return (
        f"The file is {size:,} bytes; the limit is {limit / 1_000_000:g} MB "
        f"({limit:,} bytes). Split it into smaller files."
    )


class Limits:
    """The most rows, columns and characters in a cell a file may have, checked row by
    row while the file is read: a small file that unpacks or parses into millions of rows
    is refused once it passes the limit, never held whole in memory."""

    def __init__(self):
        self.rows = settings.FIGURE_IMPORT_MAX_ROWS
        self.columns = settings.FIGURE_IMPORT_MAX_COLUMNS
        self.cell = settings.FIGURE_IMPORT_MAX_CELL_CHARS

    def too_many_rows(self):
        return ImportFileError(
            f"The file has more than {self.rows:,} rows of figures; the limit is "
            f"{self.rows:,}. Split it into smaller files."
        )

    def check(self, cells, number, *, header=False):
        """Refuse the row ``number`` of the file (cells as strings) if it is too wide or
        has a cell too long; empty cells at its end do not count."""
        width = len(cells)
        if width > self.columns:
            while width and not cells[width - 1].strip():
                width -= 1
            if width > self.columns:
                what = "The header" if header else f"Row {number}"
                raise ImportFileError(
                    f"{what} has {width:,} cells; a figure file has at most "
                    f"{self.columns} columns ({', '.join(COLUMNS)})."
                )
        for column, cell in enumerate(cells):
            if isinstance(cell, str) and CONTROL.search(cell):
                what = "the header" if header else f"row {number}"
                raise ImportFileError(
                    f"Cell {column + 1} of {what} holds a control character (a NUL byte "
                    "or another character that is not text). Remove it and import again."
                )
        if cells and max(map(len, cells)) > self.cell:
            column = next(i for i, cell in enumerate(cells) if len(cell) > self.cell)
            what = "the header" if header else f"row {number}"
            raise ImportFileError(
                f"Cell {column + 1} of {what} is {len(cells[column]):,} characters long; "
                f"the limit is {self.cell:,}."
            )
