"""Checks a shopper's contact and shipping address, with one clear message per field.

E-mail via email-validator (syntax only: no DNS at checkout), phone via phonenumbers → E.164,
country via pycountry, postcodes by per-country pattern (normalised to the local way of writing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email

from shopkeeper.checkout.errors import ValidationFailed


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None
    phone: str | None  # E.164


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postcode: str | None
    country: str  # ISO alpha-2
    line2: str | None = None
    region: str | None = None  # subdivision code without country ("CA")
    phone: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "name": self.name, "line1": self.line1, "line2": self.line2, "city": self.city,
            "postcode": self.postcode, "region": self.region, "country": self.country, "phone": self.phone,
        }

    def one_line(self) -> str:
        parts = [self.name, self.line1, self.line2, f"{self.postcode or ''} {self.city}".strip(),
                 self.region, self.country]
        return ", ".join(p for p in parts if p)


# pattern, normalised format (groups joined), example shown to the shopper
POSTCODES: dict[str, tuple[str, str, str]] = {
    "DE": (r"^(\d{5})$", "{0}", "10115"),
    "FR": (r"^(\d{5})$", "{0}", "75001"),
    "IT": (r"^(\d{5})$", "{0}", "00184"),
    "ES": (r"^(\d{5})$", "{0}", "28013"),
    "AT": (r"^(\d{4})$", "{0}", "1010"),
    "BE": (r"^(\d{4})$", "{0}", "1000"),
    "NL": (r"^(\d{4}) ?([A-Z]{2})$", "{0} {1}", "1012 AB"),
    "PL": (r"^(\d{2})-?(\d{3})$", "{0}-{1}", "00-950"),
    "SK": (r"^(\d{3}) ?(\d{2})$", "{0} {1}", "811 01"),
    "CZ": (r"^(\d{3}) ?(\d{2})$", "{0} {1}", "110 00"),
    "GB": (r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$", "{0} {1}", "SW1A 1AA"),
    "US": (r"^(\d{5})(?:-?(\d{4}))?$", "{0}", "94105"),
    "CN": (r"^(\d{6})$", "{0}", "100000"),
    "SA": (r"^(\d{5})(?:-?(\d{4}))?$", "{0}", "12211"),
}
NO_POSTCODE = {"AE", "HK", "IE"}  # IE has Eircodes, optional for delivery
_US_STATES = {s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code="US") or []}


def _country(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if value.upper() == "UK":
        return "GB"
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        return None


def normalize_postcode(country: str, postcode: str) -> str | None:
    """The postcode written the local way, or None if it does not fit the country's pattern."""
    rule = POSTCODES.get(country)
    raw = re.sub(r"\s+", " ", postcode.strip().upper())
    if rule is None:
        return raw or None
    pattern, fmt, _ = rule
    m = re.match(pattern, raw) or re.match(pattern, raw.replace(" ", ""))
    if m is None:
        return None
    groups = [g for g in m.groups() if g is not None]
    if country in ("US", "SA") and len(groups) == 2:
        return f"{groups[0]}-{groups[1]}"
    return fmt.format(*groups)


def _region(country: str, region: str | None) -> tuple[str | None, str | None]:
    """(normalised region code, error) — a US state is required and must exist."""
    if country != "US":
        return ((region or "").strip().upper() or None), None
    value = (region or "").strip()
    if not value:
        return None, "please give the state (e.g. CA or California)"
    code = value.upper().removeprefix("US-")
    if code in _US_STATES:
        return code, None
    for sub in pycountry.subdivisions.get(country_code="US") or []:
        if sub.name.lower() == value.lower():
            return str(sub.code.split("-")[1]), None
    return None, f"{value!r} is not a US state; use its two-letter code, e.g. NY"


def validate_phone(phone: str, country: str | None) -> str:
    """E.164 form of a phone number; raises ValueError with a shopper-readable reason."""
    try:
        parsed = phonenumbers.parse(phone, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        raise ValueError(
            "this does not look like a phone number; include the country code, e.g. +421 905 123 456"
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("this phone number is not valid; please check the digits and the country code")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def validate_contact(
    name: str | None, email: str | None, phone: str | None, country: str | None = None
) -> Contact:
    """A shopper's name and a way to reach them (e-mail or phone, or both)."""
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    clean_name = " ".join((name or "").split())
    if len(clean_name) < 2:
        errors["name"], codes["name"] = "please give your full name", "name_missing"
    clean_email = None
    if email and email.strip():
        try:
            clean_email = validate_email(email.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"], codes["email"] = f"this e-mail address is not valid: {exc}", "email_invalid"
    clean_phone = None
    if phone and phone.strip():
        try:
            clean_phone = validate_phone(phone, _country(country or "") or None)
        except ValueError as exc:
            errors["phone"], codes["phone"] = str(exc), "phone_invalid"
    if not (email and email.strip()) and not (phone and phone.strip()):
        errors["email"], codes["email"] = "please give an e-mail address or a phone number", "contact_missing"
    if errors:
        raise ValidationFailed(errors, codes)
    return Contact(name=clean_name, email=clean_email, phone=clean_phone)


def validate_address(name: str | None, line1: str | None, city: str | None, postcode: str | None,
                     country: str | None, line2: str | None = None, region: str | None = None,
                     phone: str | None = None) -> Address:
    """A deliverable-looking address; every problem is reported at once, per field."""
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}

    def fail(fld: str, code: str, message: str) -> None:
        errors[fld], codes[fld] = message, code

    code = _country(country or "")
    if code is None:
        message = f"{country!r} is not a country we know; use e.g. DE, Poland or Slovakia"
        fail("country", "country_invalid", message if country else "please give the country")
    clean_name = " ".join((name or "").split())
    if len(clean_name) < 2:
        fail("name", "name_missing", "please give the recipient's full name")
    if len((line1 or "").strip()) < 3:
        fail("line1", "street_missing", "please give the street and house number")
    if len((city or "").strip()) < 2:
        fail("city", "city_missing", "please give the town or city")
    clean_postcode: str | None = None
    clean_region: str | None = None
    if code is not None:
        if postcode and postcode.strip():
            clean_postcode = normalize_postcode(code, postcode)
            if clean_postcode is None:
                example = POSTCODES[code][2]
                country_obj = pycountry.countries.get(alpha_2=code)
                country_name = country_obj.name if country_obj else code
                fail("postcode", "postcode_invalid", f"{postcode.strip()!r} is not a valid postcode for "
                     f"{country_name}; it looks like {example}")
        elif code not in NO_POSTCODE and code in POSTCODES:
            fail("postcode", "postcode_missing", f"please give the postcode (e.g. {POSTCODES[code][2]})")
        clean_region, region_error = _region(code, region)
        if region_error:
            fail("region", "region_invalid", region_error)
    clean_phone = None
    if phone and phone.strip():
        try:
            clean_phone = validate_phone(phone, code)
        except ValueError as exc:
            fail("phone", "phone_invalid", str(exc))
    if errors:
        raise ValidationFailed(errors, codes)
    assert code is not None
    return Address(
        name=clean_name, line1=" ".join((line1 or "").split()), city=" ".join((city or "").split()),
        postcode=clean_postcode, country=code, line2=(line2 or "").strip() or None, region=clean_region,
        phone=clean_phone,
    )
