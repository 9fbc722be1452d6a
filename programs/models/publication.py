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
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import formatting
from .base import differs

PUBLISH_PERMISSION = "programs.publish_edition"
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
# The version as the page cache knows it, beside the pages (programs/page_cache.py): set
# by every publish as it commits, so that every process sees it at once. It expires, so
# that a publish whose write to the cache failed (Redis away) is read from the database
# again within that time once Redis is back. KNOWN_VERSION_KEY keeps the last version
# announced, without expiring: with the database away, only pages of that version are
# served (never a page a publish has since retracted).
VERSION_KEY = "publication-version"
KNOWN_VERSION_KEY = "publication-version-known"
VERSION_SECONDS = 60


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
        return f"Version {self.version}, {formatting.format_datetime(self.changed_at)}"

    @classmethod
    def current(cls) -> "Publication":
        """The version as it stands: one query (a migration creates the row)."""
        return cls.objects.filter(pk=1).first() or cls.unwritten()

    @classmethod
    def unwritten(cls) -> "Publication":
        """The version before its row exists (a migration creates it; emptied tables,
        in tests, lack it): the same every time, so that pages stored under it hold."""
        return cls(pk=1, version=1, changed_at=NEVER)

    @property
    def token(self) -> str:
        """What the page cache keys on: the version and when it changed, so that a
        version number seen again (a database restored from a backup) never finds the
        pages of its first time."""
        return f"{self.version}.{int(self.changed_at.timestamp() * 1_000_000)}"

    @classmethod
    def bump(cls):
        # The UPDATE locks the row until the transaction commits, so two public changes
        # at once get versions in the order their content becomes visible.
        now = timezone.now()
        if not cls.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
            cls.objects.create(pk=1, version=2, changed_at=now)
        # Forgotten at once, so that a page built before the commit reads the version in
        # its snapshot (in a test, which never commits, the new one); announced as the
        # change commits, which overwrites what such a page wrote meanwhile.
        cache.delete(VERSION_KEY)
        transaction.on_commit(cls.announce)

    @classmethod
    def announce(cls):
        """Tell the page cache the version as it now stands (after a publish commits):
        every process's next request is answered from the new version."""
        token = cls.current().token
        cache.set(VERSION_KEY, token, VERSION_SECONDS)
        cache.set(KNOWN_VERSION_KEY, token, None)


def is_publisher(user) -> bool:
    """May this user change what the public sees? ``None`` is the system itself."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


@dataclass
class PublicChange:
    users: list = field(default_factory=list)  # who asks: the block's, then nested ones'
    altered: bool = False


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
