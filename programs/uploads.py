"""Uploads of figure files: refused unread when they are declared larger than
FIGURE_IMPORT_MAX_BYTES, and held in the database between an import's preview and its
confirmation, so that any app process can confirm what another one previewed."""

import secrets
from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
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
