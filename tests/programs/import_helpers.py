"""What the tests of importing figures share (tests/programs/test_import_*.py): the demo's
metrics they import, files to import, importing one as the admin and the command do, and
the admin's import and export pages with the staff who may use them.

Its fixtures (``no_figures``, ``importer``, ``exporter``) reach every test of
tests/programs/ through that folder's conftest.py.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import strip_tags

from programs.figure_files import ImportFileError, read_table
from programs.importing import figures_import
from programs.models import Figure

SAMPLE = Path(settings.BASE_DIR) / "samples" / "ncmec-figures-2023.csv"
HEADER = "year,state,metric,value"
REPORTS = "cybertipline-reports-to-law-enforcement"  # a state count: Minnesota 8,611 in 2023
RECEIVED = "cybertipline-reports-received"  # a national count, 36,210,368 ("36.2 million")
RECEIVED_SOURCE = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A"
TRAFFICKING = "trafficking-reports-received"  # a national count, "more than 18,400"
PERCENT = "missing-runaways-likely-trafficking-percent"  # a national percent, 19%
# A valid row for a figure the demo does not have: saved if the import were not all or nothing.
GOOD_ROW = f"2023,WI,{REPORTS},1200"


def csv_file(*rows, header=HEADER, newline="\n"):
    return newline.join([header, *rows, ""]).encode()


def json_file(*records):
    return json.dumps(records).encode()


# Reading and importing a file, as the admin and the command do


def import_file(data, file_name="figures.csv", *, dry_run=False, reason=""):
    """Read and import a file as the admin and the command do: the report, or the file error."""
    try:
        table = read_table(data, file_name=file_name)
    except ImportFileError as error:
        return error
    return figures_import(table=table, dry_run=dry_run, file_name=file_name, reason=reason)


def figure(key, state=None, year=2023):
    return Figure.objects.get(metric__key=key, year=year, state__code=state)


@pytest.fixture
def no_figures(demo_draft):
    """The demo's programs and metrics, no figure yet, and 2023 a draft edition: a year
    being prepared, whose figures an import writes at once."""
    Figure.objects.all().delete()


# The admin: django-import-export's flow. POST the file to the import URL, read
# ``response.context["result"]``, then POST ``confirm_form.initial`` to the process URL.

IMPORT_URL = reverse("admin:programs_figure_import")
PROCESS_URL = reverse("admin:programs_figure_process_import")
EXPORT_URL = reverse("admin:programs_figure_export")
FIGURES_URL = reverse("admin:programs_figure_changelist")
CSV, XLSX, JSON = 0, 1, 2  # the index of each format in the admin's format menu
SCRIPT = "<script>alert(1)</script>"
EXPORT_FIELDS = ("year", "state", "metric", "value", "qualifier", "source", "note")


def upload(client, data, file_name="figures.csv", file_format=CSV, reason=""):
    return client.post(
        IMPORT_URL,
        {
            "format": str(file_format),
            "import_file": SimpleUploadedFile(file_name, data),
            "reason": reason,
        },
    )


def confirm(client, preview):
    return client.post(PROCESS_URL, preview.context["confirm_form"].initial, follow=True)


def export(client, file_format=CSV, query=""):
    data = {"format": str(file_format), "resource": "0"}
    data.update({f"figureresource_{name}": "on" for name in EXPORT_FIELDS})
    return client.post(EXPORT_URL + query, data)


def shown_messages(response):
    """The messages as staff read them: their text, links and all."""
    return [strip_tags(str(message)) for message in get_messages(response.wsgi_request)]


def staff_with(client, django_user_model, *codenames, name="staff"):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    client.user = user
    return client


IMPORTER_PERMISSIONS = ("import_figure", "view_figure", "add_figure", "change_figure")


@pytest.fixture
def importer(client, django_user_model, demo_draft):
    """Staff who may import figures, with the figure permissions an importer needs; 2023 is
    a draft edition, so imports write its figures at once."""
    return staff_with(client, django_user_model, *IMPORTER_PERMISSIONS)


@pytest.fixture
def exporter(client, django_user_model, demo):
    return staff_with(client, django_user_model, "export_figure", "view_figure")
