import pytest

from programs.models import public_change
from tests.conftest import make_figure, make_metric

pytestmark = pytest.mark.django_db


def test_sitemap_lists_published_programs_and_fact_sheets_of_published_years(client, demo):
    response = client.get("/sitemap.xml")

    body = response.content.decode()
    assert response.status_code == 200
    assert "/programs/cybertipline/</loc>" in body
    assert "/states/minnesota/2023/</loc>" in body
    assert "/states/guam/2023/</loc>" in body


def test_sitemap_leaves_out_draft_years_and_unpublished_programs(client, demo):
    make_figure(make_metric(), year=2024, value=5, draft=True)
    hidden = make_metric().program
    hidden.is_published = False
    with public_change():
        hidden.save()

    body = client.get("/sitemap.xml").content.decode()

    assert "/2024/" not in body
    assert f"/programs/{hidden.slug}/" not in body


def test_sitemap_queries_do_not_grow_with_years(client, demo, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")
    for year in (2021, 2022):
        make_figure(make_metric(), year=year, value=1)
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")
