"""Customer rules with no I/O: the value objects services hand out, contact normalisation
(E.164 phones, checked e-mails) and the vocabularies of activity kinds and consent purposes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email

from shopkeeper.customers.errors import InvalidContact

ACTIVITY_KINDS = frozenset({"product_viewed", "searched", "added_to_cart", "purchased", "returned"})
CONSENT_PURPOSES = frozenset({"marketing", "order_updates", "back_in_stock"})


@dataclass(frozen=True)
class Customer:
    id: str
    name: str | None
    email: str | None
    phone: str | None
    language: str | None
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postcode: str
    country: str
    line2: str | None = None
    region: str | None = None
    phone: str | None = None
    id: str | None = None

    def key(self) -> tuple[str, ...]:
        """What makes two addresses the same place for the same recipient (case/space-blind)."""
        parts = (self.name, self.line1, self.line2, self.city, self.region, self.postcode, self.country)
        return tuple(" ".join((p or "").split()).casefold() for p in parts)


@dataclass(frozen=True)
class Identity:
    channel: str
    external_id: str
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class Consent:
    purpose: str
    channel: str
    granted: bool
    source: str
    at: datetime


@dataclass(frozen=True)
class Activity:
    kind: str
    data: dict[str, Any]
    at: datetime


@dataclass(frozen=True)
class CustomerProfile:
    """Everything the agent desk shows about one shopper (orders are added by the desk itself:
    customers sits below orders and never imports it)."""

    customer: Customer
    identities: list[Identity] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    recent_activity: list[Activity] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    merged_ids: list[str] = field(default_factory=list)


def normalize_email(email: str) -> str:
    try:
        return str(validate_email(email.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise InvalidContact(str(exc), details={"email": str(exc)}) from exc


def normalize_phone(phone: str, country: str | None = None) -> str:
    """E.164 ("+48601234567"); a number without +country needs the shopper's country."""
    try:
        parsed = phonenumbers.parse(phone, (country or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidContact(str(exc), details={"phone": "not a phone number"}) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidContact("invalid phone number", details={"phone": "not a valid phone number"})
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def normalize_address(address: Address) -> Address:
    errors: dict[str, str] = {}
    for name in ("name", "line1", "city", "postcode", "country"):
        if not str(getattr(address, name) or "").strip():
            errors[name] = "required"
    country = (address.country or "").strip().upper()
    if country and pycountry.countries.get(alpha_2=country) is None:
        errors["country"] = "not an ISO 3166 country code"
    phone = address.phone
    if phone and "country" not in errors:
        try:
            phone = normalize_phone(phone, country)
        except InvalidContact:
            errors["phone"] = "not a valid phone number"
    if errors:
        raise InvalidContact("invalid address", details=errors)

    def tidy(value: str | None) -> str | None:
        return " ".join(value.split()) if value and value.strip() else None

    return Address(
        name=tidy(address.name) or "",
        line1=tidy(address.line1) or "",
        line2=tidy(address.line2),
        city=tidy(address.city) or "",
        region=tidy(address.region),
        postcode=(tidy(address.postcode) or "").upper(),
        country=country,
        phone=phone,
        id=address.id,
    )
