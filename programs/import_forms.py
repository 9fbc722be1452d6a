"""The admin's import forms: the upload (with the reason a published edition's changes
need) and the confirmation of its preview.

An upload is held between steps (programs.uploads.DatabaseStorage) under a name that
says whose it is: only the member of staff who uploaded it may preview it again or
confirm it. An import refused only for want of a reason holds the upload and names it
in the form (``held_upload``), so that the reason is given without choosing the file
again.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.forms import ConfirmImportForm, ImportForm

from .figure_files import too_large
from .uploads import held_by

NO_LONGER_HELD = (
    "The file you uploaded before is no longer held (uploads are kept for a few hours): "
    "choose it again."
)


class FigureImportForm(ImportForm):
    reason = forms.CharField(
        label="Reason for changes",
        required=False,
        max_length=500,
        help_text="Needed if the file adds or changes figures of a published edition: those "
        "changes are staged for a Publisher, and readers see the reason in the revision note.",
    )
    # An upload held when its import was refused only for want of a reason.
    held_upload = forms.CharField(required=False, widget=forms.HiddenInput())
    held_file_name = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, upload_refused=None, user=None, storage_class=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Why programs.uploads dropped the file (too large, or not stored), if it did.
        self.upload_refused = upload_refused
        self.user = user
        self.storage_class = storage_class
        if upload_refused or self.held_file():
            self.fields["import_file"].required = False

    def held_file(self):
        """The name of the file held for this form, if one is: "fl-ny-2022.csv"."""
        if self.is_bound and self.data.get("held_upload"):
            return self.data.get("held_file_name") or "the file you uploaded"
        return None

    def hold(self, name, file_name):
        """Name a held upload in the form, for the page shown again: the file field is
        then optional, and leaving it empty imports the held upload."""
        self.data = self.data.copy()
        self.data["held_upload"] = name
        self.data["held_file_name"] = file_name
        self.fields["import_file"].required = False

    def clean_import_file(self):
        if self.upload_refused:
            raise ValidationError(self.upload_refused)
        upload = self.cleaned_data.get("import_file")
        if upload is not None and upload.size > settings.FIGURE_IMPORT_MAX_BYTES:
            raise ValidationError(too_large(upload.size))
        return upload

    def clean(self):
        cleaned = super().clean()
        held = cleaned.get("held_upload")
        if cleaned.get("import_file") is not None:
            cleaned["import_file"].owner = self.user  # whose the upload is, once held
        if "import_file" in self.errors or cleaned.get("import_file") or not held:
            return cleaned
        data = None
        if held_by(held, self.user):
            data = self.storage_class(name=held, read_mode="rb").read()
        if data is None:
            self.add_error("import_file", NO_LONGER_HELD)
            return cleaned
        upload = SimpleUploadedFile(cleaned.get("held_file_name") or "figures", data)
        upload.held_name = held  # held again under the same name (FigureAdmin)
        upload.owner = self.user
        cleaned["import_file"] = upload
        return cleaned


class FigureConfirmImportForm(ConfirmImportForm):
    reason = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        if not held_by(name, self.user):
            raise ValidationError(NO_LONGER_HELD)
        return name
