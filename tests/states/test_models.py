import pytest
from django.db import IntegrityError

from states.models import State


@pytest.mark.django_db
def test_fresh_database_has_every_jurisdiction_ncmec_reports_on():
    assert State.objects.count() == 56
    kinds = {kind: State.objects.filter(kind=kind).count() for kind in State.Kind.values}
    assert kinds == {"state": 50, "district": 1, "territory": 5}
    assert set(State.objects.filter(kind="territory").values_list("code", flat=True)) == {
        "PR",
        "GU",
        "VI",
        "AS",
        "MP",
    }


@pytest.mark.django_db
def test_minnesota_has_its_codes_and_slug():
    minnesota = State.objects.get(code="MN")
    assert (minnesota.name, minnesota.fips_code, minnesota.slug) == (
        "Minnesota",
        "27",
        "minnesota",
    )
    assert minnesota.get_absolute_url() == "/states/minnesota/"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["MN", "mn", "Minnesota", "MINNESOTA", " minnesota "])
def test_lookup_finds_a_state_by_code_or_name_in_any_case(text):
    assert State.objects.lookup(text).code == "MN"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Minesota", "", "XX", None])
def test_lookup_of_an_unknown_state_finds_nothing(text):
    assert State.objects.lookup(text) is None


@pytest.mark.django_db
def test_database_refuses_a_second_state_with_the_same_code():
    with pytest.raises(IntegrityError):
        State.objects.create(name="Minnesota Two", code="MN", fips_code="99", slug="mn-two")
