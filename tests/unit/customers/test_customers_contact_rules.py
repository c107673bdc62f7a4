"""Contact and address normalisation rules (no database)."""

from __future__ import annotations

import pytest

from shopkeeper.customers import Address, InvalidContact, normalize_email, normalize_phone
from shopkeeper.customers.model import normalize_address


@pytest.mark.parametrize(
    ("raw", "country", "e164"),
    [
        ("+48 601 234 567", None, "+48601234567"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("0905 123 456", "sk", "+421905123456"),
    ],
)
def test_phones_become_e164(raw: str, country: str | None, e164: str) -> None:
    assert normalize_phone(raw, country) == e164


@pytest.mark.parametrize(("raw", "country"), [("12", "DE"), ("not a phone", None), ("601 234 567", None)])
def test_bad_phones_are_refused_with_the_field_named(raw: str, country: str | None) -> None:
    with pytest.raises(InvalidContact) as err:
        normalize_phone(raw, country)
    assert err.value.code == "invalid_contact" and "phone" in err.value.details


def test_emails_are_normalised_and_bad_ones_refused() -> None:
    assert normalize_email("  Ada@Example.COM ") == "Ada@example.com"
    with pytest.raises(InvalidContact) as err:
        normalize_email("ada@@example")
    assert "email" in err.value.details


def test_addresses_are_tidied_and_missing_fields_listed() -> None:
    clean = normalize_address(
        Address("  Ada  Lovelace", "Hauptstr. 1 ", "Berlin", "10115", "de", phone="030 1234567")
    )
    assert (clean.name, clean.line1, clean.country, clean.phone) == (
        "Ada Lovelace",
        "Hauptstr. 1",
        "DE",
        "+49301234567",
    )
    with pytest.raises(InvalidContact) as err:
        normalize_address(Address("", "x", "", "1", "XX"))
    assert set(err.value.details) == {"name", "city", "country"}
