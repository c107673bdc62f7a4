"""Customer use cases in the caller's transaction: recognise a shopper per channel, keep their
contact details, addresses, consent history and activity, and merge profiles proven to be one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopkeeper.customers.errors import CustomerNotFound, InvalidActivity, InvalidConsent
from shopkeeper.customers.events import ActivityRecorded, ConsentRecorded, CustomerCreated, CustomersMerged
from shopkeeper.customers.model import (
    ACTIVITY_KINDS,
    CONSENT_PURPOSES,
    Activity,
    Address,
    Consent,
    Customer,
    CustomerProfile,
    Identity,
    normalize_address,
    normalize_email,
    normalize_phone,
)
from shopkeeper.customers.store import ActivityRow, AddressRow, ConsentRow, CustomerRow, IdentityRow
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import core_connection, record_event

MAX_MERGE_HOPS = 16

# built once: a chat turn runs them, and building a statement costs more than running it
_IDENTITY_WITH_CUSTOMER = (
    select(IdentityRow, CustomerRow)
    .join(CustomerRow, CustomerRow.id == IdentityRow.customer_id)
    .where(IdentityRow.channel == bindparam("channel"), IdentityRow.external_id == bindparam("external_id"))
)
_INSERT_ACTIVITY = insert(cast(Table, ActivityRow.__table__))


def resolve_customer(
    session: Session,
    channel: str,
    external_id: str,
    profile_name: str | None = None,
    language: str | None = None,
) -> Customer:
    """The customer behind a channel identity, created on first sight; marks them seen now."""
    now = utcnow()
    found = _identity_with_customer(session, channel, external_id)
    if found is None:
        identity = _create_identity(session, channel, external_id, profile_name, language, now)
        row = _survivor(session, identity.customer_id)
    else:
        identity, row = found
        if row.merged_into is not None:
            row = _survivor(session, row.id)
    # the session maps rows weakly: held here, later reads of this customer in the transaction
    # (activity, checkout's profile update) find the row instead of selecting it again
    session.info.setdefault(HELD_ROWS, []).append(row)
    # "seen" to the minute: a chat sends many messages a minute, and two UPDATEs on each of
    # them would be most of a turn's writes
    if _stale(identity.last_seen_at, now):
        identity.last_seen_at = now
    if _stale(row.last_seen_at, now):
        row.last_seen_at = now
    if profile_name and not row.name:
        row.name = profile_name.strip()[:200] or None
    if language:
        row.language = language  # the language they last wrote in is their preference now
    return _customer(row)


SEEN_RESOLUTION = timedelta(seconds=60)
HELD_ROWS = "customers_held"


def _stale(seen: datetime | None, now: datetime) -> bool:
    return seen is None or now - seen >= SEEN_RESOLUTION


def _create_identity(
    session: Session, channel: str, external_id: str, name: str | None, language: str | None, now: datetime
) -> IdentityRow:
    row = CustomerRow(
        id=new_id("cus"),
        name=(name or "").strip()[:200] or None,
        language=language,
        created_at=now,
        last_seen_at=now,
    )
    identity = IdentityRow(
        id=new_id("cid"),
        customer_id=row.id,
        channel=channel,
        external_id=external_id,
        created_at=now,
        last_seen_at=now,
    )
    try:
        # a savepoint: two first messages from one visitor at once must yield one customer
        with session.begin_nested():
            session.add(row)
            session.flush()
            session.add(identity)
            session.flush()
    except IntegrityError:
        existing = _identity(session, channel, external_id)
        if existing is None:
            raise
        return existing
    record_event(session, CustomerCreated(row.id, channel, external_id))
    return identity


def get_customer(session: Session, customer_id: str) -> Customer:
    """Follows merges: an id merged into another profile resolves to the survivor."""
    return _customer(_survivor(session, customer_id))


def find_customer(session: Session, customer_id: str) -> Customer | None:
    try:
        return get_customer(session, customer_id)
    except CustomerNotFound:
        return None


def find_by_contact(session: Session, email: str | None = None, phone: str | None = None) -> list[Customer]:
    """Profiles with this e-mail or phone (for an agent deciding whether two are one person)."""
    rows: list[CustomerRow] = []
    if email:
        # local parts are case-sensitive on paper, never in practice
        q = select(CustomerRow).where(func.lower(CustomerRow.email) == normalize_email(email).lower())
        rows += list(session.scalars(q.where(CustomerRow.merged_into.is_(None))))
    if phone:
        q = select(CustomerRow).where(CustomerRow.phone == normalize_phone(phone))
        rows += [r for r in session.scalars(q.where(CustomerRow.merged_into.is_(None))) if r not in rows]
    return [_customer(r) for r in rows]


def update_contact(
    session: Session,
    customer_id: str,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    *,
    country: str | None = None,
) -> Customer:
    """Set what is given, validated: e-mails normalised, phones to E.164 (`country` reads local
    numbers). A typed e-mail is no proof of identity, so this never merges profiles."""
    row = _survivor(session, customer_id)
    if email is not None:
        row.email = normalize_email(email)
    if phone is not None:
        row.phone = normalize_phone(phone, country)
    if name is not None and name.strip():
        row.name = " ".join(name.split())[:200]
    return _customer(row)


def save_address(session: Session, customer_id: str, address: Address) -> Address:
    """Store an address (validated, tidied); saving the same place again returns the stored one."""
    row = _survivor(session, customer_id)
    clean = normalize_address(address)
    now = utcnow()
    for existing in _address_rows(session, row.id):
        if _address(existing).key() == clean.key():
            existing.last_used_at = now
            existing.phone = clean.phone or existing.phone
            return _address(existing)
    stored = AddressRow(
        id=new_id("adr"),
        customer_id=row.id,
        name=clean.name,
        line1=clean.line1,
        line2=clean.line2,
        city=clean.city,
        region=clean.region,
        postcode=clean.postcode,
        country=clean.country,
        phone=clean.phone,
        created_at=now,
        last_used_at=now,
    )
    session.add(stored)
    session.flush()
    return _address(stored)


def list_addresses(session: Session, customer_id: str) -> list[Address]:
    """Most recently used first (the one to suggest at checkout)."""
    return [_address(r) for r in _address_rows(session, _survivor(session, customer_id).id)]


def record_activity(session: Session, customer_id: str, kind: str, data: dict[str, Any]) -> Activity:
    if kind not in ACTIVITY_KINDS:
        raise InvalidActivity(f"unknown activity kind {kind!r}", details={"kind": sorted(ACTIVITY_KINDS)})
    row = _survivor(session, customer_id)
    now = utcnow()
    # a Core INSERT (pending rows flushed first: the customer may be new in this transaction):
    # the activity log is only appended to, and a unit of work per action costs more than it
    core_connection(session).execute(
        _INSERT_ACTIVITY, {"customer_id": row.id, "kind": kind, "data": dict(data), "at": now}
    )
    record_event(session, ActivityRecorded(row.id, kind, dict(data), now))
    return Activity(kind, dict(data), now)


def recent_activity(
    session: Session, customer_id: str, limit: int = 20, kinds: list[str] | None = None
) -> list[Activity]:
    cid = _survivor(session, customer_id).id
    q = select(ActivityRow).where(ActivityRow.customer_id == cid)
    if kinds:
        q = q.where(ActivityRow.kind.in_(kinds))
    rows = session.scalars(q.order_by(ActivityRow.at.desc(), ActivityRow.id.desc()).limit(limit))
    return [Activity(r.kind, dict(r.data), r.at) for r in rows]


def record_consent(
    session: Session, customer_id: str, purpose: str, channel: str, granted: bool, source: str
) -> Consent:
    """Append to the consent history (`source` says how: "keyword:STOP", "checkout checkbox"…)."""
    if purpose not in CONSENT_PURPOSES:
        raise InvalidConsent(
            f"unknown consent purpose {purpose!r}", details={"purpose": sorted(CONSENT_PURPOSES)}
        )
    row = _survivor(session, customer_id)
    now = utcnow()
    session.add(
        ConsentRow(
            customer_id=row.id, purpose=purpose, channel=channel, granted=granted, source=source, at=now
        )
    )
    session.flush()
    record_event(session, ConsentRecorded(row.id, purpose, channel, granted, source))
    return Consent(purpose, channel, granted, source, now)


def withdraw_all(session: Session, customer_id: str, channel: str, source: str) -> list[Consent]:
    """STOP: every purpose withdrawn on that channel."""
    return [record_consent(session, customer_id, p, channel, False, source) for p in sorted(CONSENT_PURPOSES)]


def has_consent(session: Session, customer_id: str, purpose: str, channel: str) -> bool:
    """The latest statement for this purpose and channel wins; no statement means no."""
    cid = _survivor(session, customer_id).id
    latest = session.scalar(
        select(ConsentRow.granted)
        .where(ConsentRow.customer_id == cid, ConsentRow.purpose == purpose, ConsentRow.channel == channel)
        .order_by(ConsentRow.at.desc(), ConsentRow.id.desc())
        .limit(1)
    )
    return bool(latest)


def current_consents(session: Session, customer_id: str) -> list[Consent]:
    """The standing answer per (purpose, channel)."""
    cid = _survivor(session, customer_id).id
    rows = session.scalars(
        select(ConsentRow)
        .where(ConsentRow.customer_id == cid)
        .order_by(ConsentRow.at.desc(), ConsentRow.id.desc())
    )
    seen: dict[tuple[str, str], Consent] = {}
    for r in rows:
        seen.setdefault((r.purpose, r.channel), Consent(r.purpose, r.channel, r.granted, r.source, r.at))
    return sorted(seen.values(), key=lambda c: (c.purpose, c.channel))


def link_identity(session: Session, customer_id: str, channel: str, external_id: str) -> Customer:
    """Attach a proven channel identity (a verified phone, a logged-in e-mail) to this customer.
    If another profile already owns it, that profile is merged into this one."""
    target = _survivor(session, customer_id)
    identity = _identity(session, channel, external_id)
    now = utcnow()
    if identity is None:
        session.add(
            IdentityRow(
                id=new_id("cid"),
                customer_id=target.id,
                channel=channel,
                external_id=external_id,
                created_at=now,
                last_seen_at=now,
            )
        )
        session.flush()
        return _customer(target)
    other = _survivor(session, identity.customer_id)
    if other.id != target.id:
        _merge(session, target, other)
    return _customer(target)


def _merge(session: Session, target: CustomerRow, other: CustomerRow) -> None:
    for table in (IdentityRow, AddressRow, ConsentRow, ActivityRow):
        session.execute(update(table).where(table.customer_id == other.id).values(customer_id=target.id))
    for attr in ("name", "email", "phone", "language"):
        if getattr(target, attr) is None:
            setattr(target, attr, getattr(other, attr))
    target.created_at = min(target.created_at, other.created_at)
    target.last_seen_at = max(target.last_seen_at, other.last_seen_at)
    other.merged_into = target.id
    # profiles merged into `other` earlier now point straight at the survivor
    session.execute(
        update(CustomerRow).where(CustomerRow.merged_into == other.id).values(merged_into=target.id)
    )
    session.flush()
    session.expire_all()
    record_event(session, CustomersMerged(target.id, other.id))


def customer_profile(session: Session, customer_id: str, activity_limit: int = 20) -> CustomerProfile:
    row = _survivor(session, customer_id)
    identities = session.scalars(
        select(IdentityRow).where(IdentityRow.customer_id == row.id).order_by(IdentityRow.created_at)
    )
    merged = session.scalars(select(CustomerRow.id).where(CustomerRow.merged_into == row.id))
    return CustomerProfile(
        customer=_customer(row),
        identities=[Identity(i.channel, i.external_id, i.created_at, i.last_seen_at) for i in identities],
        addresses=list_addresses(session, row.id),
        recent_activity=recent_activity(session, row.id, activity_limit),
        consents=current_consents(session, row.id),
        merged_ids=sorted(merged),
    )


# -- helpers -------------------------------------------------------------------------------------


def _identity(session: Session, channel: str, external_id: str) -> IdentityRow | None:
    return session.scalar(
        select(IdentityRow).where(IdentityRow.channel == channel, IdentityRow.external_id == external_id)
    )


def _identity_with_customer(
    session: Session, channel: str, external_id: str
) -> tuple[IdentityRow, CustomerRow] | None:
    """The identity and the customer it names, in one query (a chat turn resolves both)."""
    found = session.execute(_IDENTITY_WITH_CUSTOMER, {"channel": channel, "external_id": external_id}).first()
    return (found[0], found[1]) if found else None


def _survivor(session: Session, customer_id: str) -> CustomerRow:
    row = session.get(CustomerRow, customer_id)
    for _ in range(MAX_MERGE_HOPS):
        if row is None:
            raise CustomerNotFound(customer_id)
        if row.merged_into is None:
            return row
        row = session.get(CustomerRow, row.merged_into)
    raise CustomerNotFound(customer_id)


def _address_rows(session: Session, customer_id: str) -> list[AddressRow]:
    q = select(AddressRow).where(AddressRow.customer_id == customer_id)
    return list(session.scalars(q.order_by(AddressRow.last_used_at.desc(), AddressRow.created_at.desc())))


def _customer(r: CustomerRow) -> Customer:
    return Customer(r.id, r.name, r.email, r.phone, r.language, r.created_at, r.last_seen_at)


def _address(r: AddressRow) -> Address:
    return Address(
        name=r.name,
        line1=r.line1,
        line2=r.line2,
        city=r.city,
        region=r.region,
        postcode=r.postcode,
        country=r.country,
        phone=r.phone,
        id=r.id,
    )
