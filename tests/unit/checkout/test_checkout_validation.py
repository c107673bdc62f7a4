"""Contact and address validation with one clear message per field."""

from __future__ import annotations

import pytest

from shopkeeper.checkout import ValidationFailed, normalize_postcode, validate_address, validate_contact


def test_contact_normalises_email_and_phone_to_e164() -> None:
    c = validate_contact("  Anna   Nováková ", "Anna@Example.com", "0905 123 456", "SK")
    assert c.name == "Anna Nováková"
    assert c.email == "Anna@example.com"
    assert c.phone == "+421905123456"


def test_contact_needs_email_or_phone() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_contact("Jan Kowalski", None, "", "PL")
    assert info.value.codes == {"email": "contact_missing"}


def test_contact_reports_every_bad_field() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_contact("J", "not-an-email", "12", "DE")
    assert set(info.value.errors) == {"name", "email", "phone"}
    assert info.value.code == "validation_failed"
    assert info.value.details["fields"] == info.value.errors


def test_phone_with_country_code_needs_no_country() -> None:
    assert validate_contact("Li Wei", None, "+86 138 0013 8000", None).phone == "+8613800138000"


@pytest.mark.parametrize(
    "country,raw,expected",
    [
        ("DE", "10115", "10115"),
        ("PL", "00950", "00-950"),
        ("PL", "00-950", "00-950"),
        ("SK", "81101", "811 01"),
        ("SK", "811 01", "811 01"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("GB", "EC1A 1BB", "EC1A 1BB"),
        ("US", "94105", "94105"),
        ("US", "94105-1234", "94105-1234"),
        ("FR", "75001", "75001"),
        ("CN", "100000", "100000"),
    ],
)
def test_postcodes_are_normalised_the_local_way(country: str, raw: str, expected: str) -> None:
    assert normalize_postcode(country, raw) == expected


@pytest.mark.parametrize(
    "country,raw",
    [
        ("DE", "1011"),
        ("PL", "0095"),
        ("SK", "8110"),
        ("GB", "12345"),
        ("US", "9410"),
        ("FR", "7500A"),
        ("CN", "10000"),
    ],
)
def test_bad_postcodes_are_refused(country: str, raw: str) -> None:
    assert normalize_postcode(country, raw) is None


def test_address_accepts_country_names_and_normalises() -> None:
    a = validate_address("Jan Kowalski", "ul. Marszałkowska 1", "Warszawa", "00950", "Poland")
    assert (a.country, a.postcode) == ("PL", "00-950")
    assert validate_address("Jo Bloggs", "10 Downing St", "London", "SW1A 2AA", "UK").country == "GB"


def test_us_address_needs_a_real_state() -> None:
    a = validate_address("John Doe", "1 Market St", "San Francisco", "94105", "US", region="California")
    assert a.region == "CA"
    with pytest.raises(ValidationFailed) as info:
        validate_address("John Doe", "1 Market St", "San Francisco", "94105", "US", region="Narnia")
    assert "region" in info.value.errors
    with pytest.raises(ValidationFailed):
        validate_address("John Doe", "1 Market St", "San Francisco", "94105", "US")


def test_address_reports_each_field_with_an_example() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_address("", "", "", "12", "Germany")
    errors = info.value.errors
    assert set(errors) == {"name", "line1", "city", "postcode"}
    assert "10115" in errors["postcode"]


def test_unknown_country_is_refused() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_address("Jo Doe", "Main St 1", "Town", "12345", "Atlantis")
    assert info.value.codes["country"] == "country_invalid"


def test_postcode_optional_where_the_country_has_none() -> None:
    a = validate_address("Ahmed Ali", "Sheikh Zayed Rd 1", "Dubai", None, "AE")
    assert a.postcode is None
