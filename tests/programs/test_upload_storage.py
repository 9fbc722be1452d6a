"""An upload the server cannot store (its temporary directory full, or gone) is a form
error on the import page, saying so, and leaves nothing behind: no partial file, no held
upload, no figure. The disk fills up for real: the temporary file's descriptor is
pointed at /dev/full once its first chunk is written, so every later write fails as the
kernel fails it on a full disk (ENOSPC), through Python's own buffering."""

import os

import pytest

from programs.models import HeldUpload
from programs.uploads import NOT_STORED, OUT_OF_SPACE, StoredUpload
from tests.conftest import figures_snapshot

from .import_helpers import GOOD_ROW, csv_file, upload

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


class DiskFillsUp(StoredUpload):
    """The site's handler on a disk that is full once the upload's first chunk is on it."""

    def receive_data_chunk(self, raw_data, start):
        answer = super().receive_data_chunk(raw_data, start)
        if start == 0:
            self.file.flush()
            full = os.open("/dev/full", os.O_WRONLY)
            os.dup2(full, self.file.fileno())
            os.close(full)
        return answer


@pytest.fixture
def temporary_directory(settings, tmp_path):
    """Uploads over 1 KB go to a temporary file in a directory of the test's own."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


def a_file_of(size):
    """A valid import file of about ``size`` bytes (a row, then blank lines)."""
    data = csv_file(GOOD_ROW)
    return data + b"\n" * (size - len(data))


# Sizes end the upload at each step of its writing: in a later chunk (300 KB), or in the
# bytes still buffered when the file is complete (66 KB).
@pytest.mark.parametrize("size", [300_000, 66_000])
def test_an_upload_on_a_full_disk_is_a_form_error_and_leaves_nothing(
    importer, temporary_directory, settings, size
):
    settings.FILE_UPLOAD_HANDLERS = [
        "programs.uploads.UploadSizeLimit",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        f"{__name__}.DiskFillsUp",
    ]
    before = figures_snapshot()

    response = upload(importer, a_file_of(size))

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [OUT_OF_SPACE]
    assert OUT_OF_SPACE in response.content.decode()
    assert list(temporary_directory.iterdir()) == []
    assert not HeldUpload.objects.exists()
    assert figures_snapshot() == before


def test_an_upload_whose_temporary_directory_is_gone_is_a_form_error(
    importer, temporary_directory, settings
):
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary_directory / "gone")

    response = upload(importer, a_file_of(300_000))

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [NOT_STORED]
    assert not HeldUpload.objects.exists()


def test_an_upload_the_disk_can_take_is_previewed_and_leaves_nothing(
    importer, temporary_directory
):
    response = upload(importer, a_file_of(100_000))

    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert HeldUpload.objects.count() == 1
    assert list(temporary_directory.iterdir()) == []
