"""The one guard against spreadsheet formulas, for every file the site writes that a
spreadsheet may open: the admin's exports (figures, metrics, states), the public
downloads of /data/ and ``manage.py export_figures``. JSON (the API, figures.json) is not
a spreadsheet and is written as it is.

A text cell that a spreadsheet could run gets a leading apostrophe (OWASP's advice): one
that starts with ``=``, ``+``, ``-`` or ``@``, after any leading whitespace (spreadsheets
skip it: ``"  =1+1"`` and ``"\\n=1"`` run too), or that starts with a tab, a carriage
return or a line feed. Text that already starts with an apostrophe gets another, so that
``unguard`` (the import) takes exactly one off and an export imports back unchanged.
Numbers are never guarded: a -5 stays a number.
"""

from import_export import widgets

FORMULA_START = ("=", "+", "-", "@")
CONTROL_START = ("\t", "\r", "\n")
# Widgets whose cells are numbers, dates or booleans, not text: never guarded.
NOT_TEXT = (
    widgets.NumberWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
    widgets.BooleanWidget,
)


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (or a cell that starts
    one: a leading tab, CR or line feed)."""
    return text.startswith(CONTROL_START) or text.lstrip().startswith(FORMULA_START)


def guard_formula(value):
    """The cell as a spreadsheet should get it: text that could run, or that starts with
    an apostrophe, behind one more apostrophe; anything else (numbers, None) unchanged."""
    if isinstance(value, str) and (value.startswith("'") or runs_as_formula(value)):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """What ``guard_formula`` was given: the import's side of the round trip."""
    rest = text[1:]
    if text.startswith("'") and (rest.startswith("'") or runs_as_formula(rest)):
        return rest
    return text


class GuardedExport:
    """A django-import-export resource whose exported text cells go through
    ``guard_formula``, whatever the format and whether a ``dehydrate_`` method or a
    widget wrote the cell. Columns named in ``number_columns``, and fields whose widget
    is a number, date or boolean, are left as they are (CSV renders numbers as strings:
    "-5" must not become "'-5")."""

    number_columns: tuple[str, ...] = ()

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if field.column_name in self.number_columns or isinstance(field.widget, NOT_TEXT):
            return value
        return guard_formula(value)
