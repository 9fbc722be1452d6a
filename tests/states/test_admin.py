"""The admin for states and territories."""

import pytest

STATES = "/admin/states/state/"


def listed_names(response):
    return {state.name for state in response.context["cl"].result_list}


def test_the_states_admin_is_view_only_even_for_a_superuser(admin_client, minnesota):
    # Every page names the 56 jurisdictions: they change by a migration, never here.
    assert admin_client.get(STATES).status_code == 200
    page = admin_client.get(f"{STATES}{minnesota.pk}/change/")
    assert page.status_code == 200
    assert "View state or territory" in page.content.decode()
    assert admin_client.get(f"{STATES}add/").status_code == 403
    changed = admin_client.post(
        f"{STATES}{minnesota.pk}/change/",
        {"name": "Minnesota!", "code": "MN", "fips_code": "27", "slug": "minnesota",
         "kind": "state"},
    )  # fmt: skip
    assert changed.status_code == 403
    minnesota.refresh_from_db()
    assert minnesota.name == "Minnesota"


def test_states_admin_sends_anonymous_visitors_to_the_login_page(client, minnesota):
    for url in (STATES, f"{STATES}add/", f"{STATES}{minnesota.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), url


def test_state_list_shows_every_jurisdiction_by_name(admin_client, db):
    response = admin_client.get(STATES)

    names = [state.name for state in response.context["cl"].result_list]
    assert names == sorted(names)
    assert len(names) == 56


def test_state_list_links_to_the_public_fact_sheet(admin_client, db):
    response = admin_client.get(STATES)

    assert b'<a href="/states/minnesota/">/states/minnesota/</a>' in response.content


def test_state_list_search_finds_a_state_by_name(admin_client, db):
    response = admin_client.get(STATES, {"q": "minnesota"})

    assert listed_names(response) == {"Minnesota"}


def test_state_list_search_finds_a_state_by_code(admin_client, db):
    # No state's name contains "mn": only the code can match.
    response = admin_client.get(STATES, {"q": "MN"})

    assert listed_names(response) == {"Minnesota"}


def test_state_list_filters_by_kind(admin_client, db):
    response = admin_client.get(STATES, {"kind__exact": "district"})

    assert listed_names(response) == {"District of Columbia"}


@pytest.mark.parametrize("term", ["minn", "MN"])
def test_figure_form_state_autocomplete_finds_a_state_by_name_or_code(admin_client, db, term):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "programs", "model_name": "figure", "field_name": "state", "term": term},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Minnesota"]
