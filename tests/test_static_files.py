"""Production's static files storage (ncmec_site/static_files.py): pages name each file
by its hashed address, looked up once, and a file the manifest lacks is still refused."""

import pytest
from django.template import Context, Template
from django.test import override_settings

from ncmec_site.static_files import StaticFilesStorage

MANIFEST = '{"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1"}'


@pytest.fixture
def storage(tmp_path):
    """Production's storage on a manifest of one file (changing these settings makes
    Django set the storage up again, as it does after the test)."""
    (tmp_path / "staticfiles.json").write_text(MANIFEST)
    with override_settings(
        STATIC_ROOT=tmp_path,
        DEBUG=False,
        STORAGES={"staticfiles": {"BACKEND": "ncmec_site.static_files.StaticFilesStorage"}},
    ):
        from django.contrib.staticfiles.storage import staticfiles_storage

        yield staticfiles_storage


def test_a_page_names_a_file_by_its_hashed_address_every_time(storage):
    page = Template("{% load static %}{% static 'css/site.css' %} {% static 'css/site.css' %}")

    assert page.render(Context()) == "/static/css/site.0123abcd.css /static/css/site.0123abcd.css"
    assert isinstance(storage._wrapped, StaticFilesStorage)


def test_a_file_the_manifest_lacks_is_refused_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/nowhere.css")
