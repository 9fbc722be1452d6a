"""What the public sees changes in one way only: inside :func:`public_change`.

A row the public can see (a published program, its metrics and their notes, an
edition's status, a figure of a published year) refuses to be saved or deleted
unless a ``public_change()`` block is open, and the block refuses it unless its user
is a Publisher (or the system: ``user=None``, for commands, cron and set-up). The block
is one transaction; if public content was altered in it, the publication version goes
up by one as it ends: the page cache, ETags, PDFs and downloads to come key on it.

Models call :func:`public_write` from ``save()`` and ``delete()``; services that write in
bulk (publishing an edition's pending changes) call it themselves.
"""

import contextvars
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .base import differs

PUBLISH_PERMISSION = "programs.publish_edition"
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


# This process's last read of the version, and until when it holds (Publication.recent).
_recent: tuple | None = None


class PublicContentLocked(PermissionDenied):
    """Public content was about to change outside ``public_change()``: refused.

    A PermissionDenied, so that a path that forgot to open the block answers 403, never
    a 500 and never a silent change.
    """


class Publication(models.Model):
    """One row: the version of everything the public sees, and when it last changed."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "publication version"
        verbose_name_plural = "publication version"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="publication_one_row")]

    def __str__(self):
        return f"Version {self.version}, {self.changed_at:%Y-%m-%d %H:%M}"

    @classmethod
    def current(cls) -> "Publication":
        """The version as it stands: one query (a migration creates the row)."""
        return cls.objects.filter(pk=1).first() or cls.unwritten()

    @classmethod
    def unwritten(cls) -> "Publication":
        """The version before its row exists (a migration creates it; emptied tables,
        in tests, lack it): the same every time, so that caches keyed on it hold."""
        return cls(pk=1, version=1, changed_at=NEVER)

    @classmethod
    def read(cls, cursor) -> "Publication":
        """The version as it stands, read with ``cursor``, a driver's cursor (no query of
        Django's, so no execute wrapper sees it): what a snapshot reads first."""
        table, version, changed_at = (
            cls._meta.db_table,
            cls._meta.get_field("version").column,
            cls._meta.get_field("changed_at").column,
        )
        cursor.execute(f'SELECT "{version}", "{changed_at}" FROM "{table}" WHERE "id" = 1')
        row = cursor.fetchone()
        if row is None:
            return cls.unwritten()
        return cls(pk=1, version=row[0], changed_at=row[1])

    @property
    def token(self) -> str:
        """What caches key on: the version and when it changed, so that a version number
        seen again (a database restored from a backup) never finds the pages of its
        first time."""
        return f"{self.version}.{int(self.changed_at.timestamp() * 1_000_000)}"

    @classmethod
    def recent(cls) -> "Publication":
        """The version the page cache and every public response key on, read from the
        database at most once every ``PUBLICATION_VERSION_SECONDS`` in each process.

        A change through ``public_change()`` forgets it as it commits, so the process
        that publishes serves the new version at once, and every other process (the
        other app workers, after a publish by cron) within those seconds. A read that
        began just before a publish committed may keep the old version as long, no more.
        """
        pinned = _pinned.get()
        if pinned is None:
            return cls._recent()
        if not pinned:
            # The request's first read, from the database (inside a snapshot, the
            # snapshot's own version: another thread's newer read would not match the
            # data), kept for the rest of the request.
            pinned.append(cls._recent(fresh=True))
        return pinned[0]

    @classmethod
    def _recent(cls, *, fresh=False) -> "Publication":
        global _recent
        known, now = _recent, time.monotonic()
        if known is not None and known[1] > now and not fresh:
            return known[0]
        found = cls.current()
        if _current.get() is not None:
            return found  # inside a public change, perhaps not committed: never kept
        if _recent is known:  # another thread's newer read is not overwritten by this one
            _recent = (found, now + settings.PUBLICATION_VERSION_SECONDS)
        return found

    @classmethod
    @contextmanager
    def pinned(cls, publication: "Publication | None" = None):
        """While open, ``recent()`` in this thread answers one version: ``publication``
        (read before the page's snapshot), or else the first it reads, which inside the
        snapshot is the snapshot's own. A page thus keys every cache it fills on one
        version no newer than its data (ncmec_site.read_snapshot), never on a newer one
        that another thread read in the meantime."""
        token = _pinned.set([] if publication is None else [publication])
        try:
            yield
        finally:
            _pinned.reset(token)

    @classmethod
    def known_recent(cls) -> "Publication | None":
        """This process's read of the version while it holds, without a query; or None."""
        known = _recent
        return known[0] if known is not None and known[1] > time.monotonic() else None

    @classmethod
    def seen(cls):
        """What this process knows of the version now, for ``remember(…, seen=…)``."""
        return _recent

    @classmethod
    def remember(cls, publication: "Publication", *, seen):
        """``publication`` (a snapshot's) is this process's version from now on, unless
        what it knew changed since ``seen()`` answered ``seen`` for the snapshot: a
        publish forgot it, or another thread read a newer one."""
        global _recent
        known = _recent
        if known is not seen and (known is None or known[0].version > publication.version):
            return
        _recent = (publication, time.monotonic() + settings.PUBLICATION_VERSION_SECONDS)

    @classmethod
    def repin(cls, publication: "Publication"):
        """The pinned version is ``publication`` for the rest of the request: its snapshot
        turned out newer than the version the request began with."""
        pinned = _pinned.get()
        if pinned is not None:
            pinned[:] = [publication]

    @classmethod
    def forget_recent(cls):
        global _recent
        _recent = None

    @classmethod
    def bump(cls):
        # The UPDATE locks the row until the transaction commits, so two public changes
        # at once get versions in the order their content becomes visible.
        now = timezone.now()
        if not cls.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
            cls.objects.create(pk=1, version=2, changed_at=now)
        # Forgotten now, for this transaction's own later reads, and again once the new
        # version is visible to every connection (a read in between stored the old one).
        cls.forget_recent()
        transaction.on_commit(cls.forget_recent)


def place_changed(sender, **kwargs):
    """A state or territory was saved or deleted: every page that names it changes (the
    page cache and what is read once per version key on the version)."""
    Publication.bump()


def is_publisher(user) -> bool:
    """May this user change what the public sees? ``None`` is the system itself."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


@dataclass
class PublicChange:
    users: list = field(default_factory=list)  # who asks: the block's, then nested ones'
    altered: bool = False


_pinned: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "pinned_publication", default=None
)
_current: contextvars.ContextVar[PublicChange | None] = contextvars.ContextVar(
    "public_change", default=None
)


@contextmanager
def public_change(*, user=None):
    """Open the one way to change what the public sees (see the module's docstring).

    ``user`` is who asks: a Publisher, or None for the system. A block opened inside
    another joins its transaction, and a public write then needs the rights of every
    block's user: nothing nested can raise rights, nor lower them.
    """
    outer = _current.get()
    if outer is not None:
        outer.users.append(user)
        try:
            yield outer
        finally:
            outer.users.pop()
        return
    change = PublicChange(users=[user])
    token = _current.set(change)
    try:
        with transaction.atomic():
            yield change
            if change.altered:
                Publication.bump()
    finally:
        _current.reset(token)


def public_write(what: str):
    """Call before writing anything the public sees; refuses it unless it may happen."""
    change = _current.get()
    if change is None:
        raise PublicContentLocked(
            f"{what[0].upper()}{what[1:]} is public: it changes only through publishing."
        )
    if not all(is_publisher(user) for user in change.users):
        raise PermissionDenied(f"Only Publishers can change {what}: it is public.")
    change.altered = True


def require_publisher(user, action: str):
    """Refuse a Publisher's action (publish, unpublish, discard, schedule) to anyone else."""
    if not is_publisher(user):
        raise PermissionDenied(f"Only Publishers can {action}.")


class PublicContent(models.Model):
    """A row readers may see: writing it while it is (or was) public is a public write."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        saved = self._saved()
        public = self.shown_to_public() or (saved is not None and saved.shown_to_public())
        if public and (saved is None or differs(self, saved)):
            public_write(self.public_name())
        self.before_save(saved)
        super().save(*args, **kwargs)

    def before_save(self, saved):
        """A last word before the row is written; ``saved`` is it as stored, or None."""

    def delete(self, *args, **kwargs):
        saved = self._saved()
        if saved is not None and saved.shown_to_public():
            public_write(self.public_name())
        return super().delete(*args, **kwargs)

    def shown_to_public(self) -> bool:
        """Whether readers see this row as it stands in memory."""
        raise NotImplementedError

    def public_name(self) -> str:
        return f"the {self._meta.verbose_name} “{self}”"

    def _saved(self):
        if self._state.adding or self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).first()
