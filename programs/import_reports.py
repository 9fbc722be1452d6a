"""What an import of figures did, or in a dry run would do: each row's change, the
errors, the flags to check, and the summary the admin and the command print."""

from dataclasses import dataclass, field

from . import formatting
from .figure_checks import Flag
from .figure_rows import RowError


@dataclass(slots=True)
class RowChange:
    row: int
    kind: str  # "new", "changed" or "unchanged"
    metric: str
    year: int
    place: str
    value: str
    old_value: str = ""
    staged: bool = False  # a change to a published figure, waiting for a Publisher
    detail: str = ""  # what changes, column by column: "source: “A” → “B”"
    unstaged: bool = False  # back to the published figure: its pending change is dropped
    # The row's own text, as it will be saved (the saved text where the file has no column).
    qualifier: str = ""
    source: str = ""
    note: str = ""

    @property
    def saved(self):
        """Written to the figure at once: a new or changed figure readers do not see yet."""
        return self.kind != "unchanged" and not self.staged and not self.unstaged


@dataclass(frozen=True, slots=True)
class RowFlag:
    """A flag of programs.figure_checks on a row of the file: something to check, not an
    error (the row is saved all the same)."""

    row: int | None  # None: a flag on no one row (the states of a metric together)
    flag: Flag

    def __str__(self):
        return self.flag.message if self.row is None else f"Row {self.row}: {self.flag.message}"


@dataclass
class ImportReport:
    file_name: str = ""
    dry_run: bool = False
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_editions: list[int] = field(default_factory=list)
    published_years: list[int] = field(default_factory=list)  # of the file's years
    # What to check before confirming (a dry run only: the preview shows them).
    flags: list[RowFlag] = field(default_factory=list)
    # Rows refused only because they change a published edition and no reason was given.
    reason_rows: list[int] = field(default_factory=list)

    def count(self, kind, staged=None):
        return sum(
            1
            for change in self.changes
            if change.kind == kind and (staged is None or change.staged == staged)
        )

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
    def staged(self):
        return self.count("new", staged=True) + self.count("changed", staged=True)

    @property
    def unstaged(self):
        return sum(1 for change in self.changes if change.unstaged)

    @property
    def ok(self):
        return not self.errors

    @property
    def needs_only_reason(self):
        """Refused only for the reason a change to a published edition needs: the file
        itself is fine, and the same upload imports once a reason is given."""
        return bool(self.errors) and len(self.reason_rows) == len(self.errors)

    @property
    def flagged_figures(self):
        """How many of the file's figures have a flag (one may have several)."""
        return len({row_flag.flag.key for row_flag in self.flags})

    def staged_by_year(self):
        """[(year, rows)] of the rows staged for a Publisher, by published edition."""
        counts = {}
        for change in self.changes:
            if change.staged:
                counts[change.year] = counts.get(change.year, 0) + 1
        return sorted(counts.items())

    def summary(self):
        """What the import did (or, in a dry run, would do), as a sentence: "12 new figures
        saved in the draft 2022 edition; 1 change to the published 2023 edition staged for
        a Publisher; 3 rows unchanged." """
        if not self.ok:
            count = len(self.errors)
            return (
                f"{count:,} error{'' if count == 1 else 's'} in {self.file_name or 'the file'}: "
                "nothing was saved."
            )
        done = "would be " if self.dry_run else ""
        parts = []
        saved = {}  # "new figures" or "changed figures": their years
        for kind in ("new", "changed"):
            rows = [c for c in self.changes if c.kind == kind and c.saved]
            if rows:
                saved[f"{len(rows):,} {kind} figure{_s(len(rows))}"] = {c.year for c in rows}
        if len(set(map(frozenset, saved.values()))) == 1:  # the same editions: one clause
            saved = {" and ".join(saved): next(iter(saved.values()))}
        for what, years in saved.items():
            parts.append(f"{what} {done}saved in {self._editions(years)}")
        if self.staged:
            years = [year for year, _ in self.staged_by_year()]
            parts.append(
                f"{self.staged:,} change{_s(self.staged)} to the published "
                f"{formatting.word_list(years)} edition{_s(len(years))} {done}staged for a "
                "Publisher"
            )
        if self.unstaged:
            n = self.unstaged
            parts.append(
                f"{n:,} pending change{_s(n)} {done}dropped, as the file gives the published "
                f"figure{_s(n)} again"
            )
        if self.unchanged:
            parts.append(f"{self.unchanged:,} row{_s(self.unchanged)} unchanged")
        if not parts:
            return "the file has no rows: nothing to save."
        text = "; ".join(parts) + "."
        if len(parts) == 1 and self.unchanged:
            text = f"{text[:-1]}: nothing to save."
        if self.new_editions:
            several = len(self.new_editions) > 1
            created = "would be" if self.dry_run else ("were" if several else "was")
            text += (
                f" The {formatting.word_list(self.new_editions)} edition{'s' if several else ''} "
                f"{created} created as {'drafts' if several else 'a draft'}, which readers do "
                f"not see until a Publisher publishes {'them' if several else 'it'}."
            )
        return text

    def _editions(self, years):
        """ "the draft 2022 edition", "the draft 2022 and 2023 editions", or, for figures
        of programs not published yet in a published year, "the 2023 edition (programs not
        yet published)"."""
        drafts = sorted(set(years) - set(self.published_years))
        published = sorted(set(years) & set(self.published_years))
        names = []
        if drafts:
            names.append(f"the draft {formatting.word_list(drafts)} edition{_s(len(drafts))}")
        if published:
            names.append(
                f"the {formatting.word_list(published)} edition{_s(len(published))} "
                "(programs readers do not see yet)"
            )
        return " and ".join(names)


def _s(count):
    return "" if count == 1 else "s"
