"""Uploads of figure files: refused unread when they are declared larger than
FIGURE_IMPORT_MAX_BYTES, refused with nothing left behind when the server cannot store
them, and held in the database between an import's preview and its confirmation, so
that any app process can confirm what another one previewed."""

import contextlib
import errno
import logging
import secrets
from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    SkipFile,
    TemporaryFileUploadHandler,
)
from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from .figure_files import too_large
from .models import HeldUpload

# Room for the form's other fields and the multipart boundaries around the file.
FORM_BYTES = 64 * 1024


def held_upload_name(user) -> str:
    """A name for an upload held for ``user``: unguessable, and saying whose it is."""
    return f"{user.pk}-{secrets.token_hex(10)}"  # fits HeldUpload.name for any user id


def held_by(name, user) -> bool:
    """Whether ``user`` uploaded the upload held under ``name``: only they may use it."""
    return bool(name) and user is not None and name.partition("-")[0] == str(user.pk)


class UploadSizeLimit(FileUploadHandler):
    """Refuses a file upload from the request's Content-Length, before a byte of the file
    is stored: its bytes are drained from the request, never kept, and the form's other
    fields (the CSRF token among them) are still read, so the form can say why. A file
    that turns out larger than the limit as it arrives is dropped the same way.

    ``request.upload_refused`` then holds the sentence; the import form shows it.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.FIGURE_IMPORT_MAX_BYTES
        self.declared_too_large = content_length > limit + FORM_BYTES
        self.request_length = content_length

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.declared_too_large:
            self.refuse(self.request_length)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.FIGURE_IMPORT_MAX_BYTES:
            self.refuse(start + len(raw_data), more=True)
        return raw_data

    def file_complete(self, file_size):
        return None

    def refuse(self, size, more=False):
        sentence = too_large(size)
        if more:
            sentence = sentence.replace(f"is {size:,} bytes", f"is more than {size:,} bytes")
        self.request.upload_refused = sentence
        raise SkipFile


OUT_OF_SPACE = "The file could not be stored: the server is out of space."
NOT_STORED = "The file could not be stored on the server. Try again in a moment."
logger = logging.getLogger(__name__)


class StoredUpload(TemporaryFileUploadHandler):
    """Django's handler for an upload too large for memory, which it writes to a temporary
    file. When that file cannot be made or written (the disk full), it is removed at
    once and the upload dropped, the form's other fields are still read, and
    ``request.upload_refused`` says why. It was a 500, with the partial file left on
    the disk."""

    def new_file(self, *args, **kwargs):
        vars(self).pop("file", None)  # an earlier file of the request is not this one's
        try:
            super().new_file(*args, **kwargs)
        except OSError as error:
            self.refuse(error)
            raise SkipFile from error

    def receive_data_chunk(self, raw_data, start):
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError as error:
            self.refuse(error)
            raise SkipFile from error

    def file_complete(self, file_size):
        # The last buffered bytes are written here (seek flushes them): None drops the
        # file, since Django's parser takes no SkipFile at this step.
        try:
            return super().file_complete(file_size)
        except OSError as error:
            self.refuse(error)
            return None

    def refuse(self, error):
        place = settings.FILE_UPLOAD_TEMP_DIR or "the temporary directory"
        logger.error("An upload could not be stored in %s.", place, exc_info=error)
        if getattr(self, "file", None) is not None:
            # A temporary file: closing it deletes it, even when its last bytes cannot be
            # written (and close says so).
            with contextlib.suppress(OSError):
                self.file.close()
        out_of_space = error.errno in (errno.ENOSPC, errno.EDQUOT)
        self.request.upload_refused = OUT_OF_SPACE if out_of_space else NOT_STORED


class DatabaseStorage(BaseStorage):
    """django-import-export's store for an upload between preview and confirmation: a
    HeldUpload row. Uploads older than FIGURE_IMPORT_HOLD_SECONDS are gone (read() gives
    None, and the confirmation says the upload is no longer stored) and are deleted
    whenever another upload is held."""

    def save(self, data):
        if not self.name:
            self.name = uuid4().hex
        HeldUpload.objects.filter(created__lt=self._oldest()).delete()
        HeldUpload.objects.update_or_create(name=self.name, defaults={"data": bytes(data)})

    def read(self):
        data = (
            HeldUpload.objects.filter(name=self.name, created__gte=self._oldest())
            .values_list("data", flat=True)
            .first()
        )
        return None if data is None else bytes(data)

    def remove(self):
        HeldUpload.objects.filter(name=self.name).delete()

    @staticmethod
    def _oldest():
        return timezone.now() - timedelta(seconds=settings.FIGURE_IMPORT_HOLD_SECONDS)
