"""Stock use cases: set levels, hold units for an order, release, convert on payment, expire.

The no-oversell guarantee is the single conditional UPDATE in `reserve`: the database checks
`on_hand - reserved >= qty` and increments `reserved` atomically, on SQLite and PostgreSQL alike.
Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from shopkeeper.inventory.errors import InvalidQuantity, OutOfStock
from shopkeeper.inventory.events import ReservationExpired
from shopkeeper.inventory.store import (
    ACTIVE,
    CONVERTED,
    EXPIRED,
    RELEASED,
    RESTOCKED,
    Reservation,
    Stock,
)
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import core_connection, record_event


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


def set_stock(session: Session, variant_id: str, on_hand: int) -> None:
    """Set the counted units on hand (reservations are kept; availability may drop to zero)."""
    if on_hand < 0:
        raise InvalidQuantity(f"on_hand must be >= 0, got {on_hand}")
    now = utcnow()
    res = session.execute(
        update(Stock)
        .where(Stock.variant_id == variant_id)
        .values(on_hand=on_hand, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(res) == 0:
        session.add(Stock(variant_id=variant_id, on_hand=on_hand, reserved=0, updated_at=now))
        session.flush()


MAX_IDS_PER_QUERY = 10_000
_STOCK = cast(Any, Stock.__table__)
# built once: every search and card reads free stock, often for hundreds of variants at a time
_AVAILABLE = select(_STOCK.c.variant_id, _STOCK.c.on_hand - _STOCK.c.reserved).where(
    _STOCK.c.variant_id.in_(bindparam("ids", expanding=True))
)


def set_stock_many(session: Session, levels: dict[str, int]) -> None:
    """`set_stock` for many variants in a few statements (a catalog import sets thousands)."""
    bad = {vid: n for vid, n in levels.items() if n < 0}
    if bad:
        vid, n = next(iter(bad.items()))
        raise InvalidQuantity(f"on_hand must be >= 0, got {n} for {vid}")
    if not levels:
        return
    now = utcnow()
    ids = list(levels)
    have: set[str] = set()
    for i in range(0, len(ids), MAX_IDS_PER_QUERY):
        have.update(
            session.execute(
                select(Stock.variant_id).where(Stock.variant_id.in_(ids[i : i + MAX_IDS_PER_QUERY]))
            ).scalars()
        )
    # Core statements with executemany: ORM bulk paths build a cache key per row
    table = cast(Any, Stock.__table__)
    if have:
        session.execute(
            update(table)
            .where(table.c.variant_id == bindparam("b_variant_id"))
            .values(on_hand=bindparam("b_on_hand"), updated_at=now),
            [{"b_variant_id": vid, "b_on_hand": levels[vid]} for vid in ids if vid in have],
        )
    fresh = [
        {"variant_id": vid, "on_hand": levels[vid], "reserved": 0, "updated_at": now}
        for vid in ids
        if vid not in have
    ]
    for i in range(0, len(fresh), 1000):
        session.execute(insert(table), fresh[i : i + 1000])


def available(session: Session, variant_ids: Iterable[str]) -> dict[str, int]:
    """Units free to sell per variant (0 for a variant with no stock row)."""
    ids = list(dict.fromkeys(variant_ids))
    if not ids:
        return {}
    found: dict[str, int] = {}
    connection = core_connection(session)
    # in slices: a whole catalog's variants would pass PostgreSQL's 65,535 bind parameters
    for i in range(0, len(ids), MAX_IDS_PER_QUERY):
        rows = connection.execute(_AVAILABLE, {"ids": ids[i : i + MAX_IDS_PER_QUERY]}).all()
        found.update((vid, max(0, int(free))) for vid, free in rows)
    return {vid: found.get(vid, 0) for vid in ids}


def _merge(items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    merged: dict[str, int] = defaultdict(int)
    for variant_id, qty in items:
        if qty <= 0:
            raise InvalidQuantity(f"quantity must be positive, got {qty} for {variant_id}")
        merged[variant_id] += qty
    # a fixed lock order (by variant id) keeps two multi-line orders from deadlocking on PostgreSQL
    return sorted(merged.items())


def reserve(session: Session, reference: str, items: list[tuple[str, int]], ttl_minutes: int) -> None:
    """Hold units for `reference` until it is paid, released or the hold expires; all or nothing."""
    lines = _merge(items)
    now = utcnow()
    expires = now + timedelta(minutes=ttl_minutes)
    with session.begin_nested():  # a failing line undoes the lines before it
        for variant_id, qty in lines:
            res = session.execute(
                update(Stock)
                .where(Stock.variant_id == variant_id, Stock.on_hand - Stock.reserved >= qty)
                .values(reserved=Stock.reserved + qty, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if _rowcount(res) != 1:
                raise OutOfStock(variant_id, qty, available(session, [variant_id])[variant_id])
            session.add(
                Reservation(
                    id=new_id("rsv"), reference=reference, variant_id=variant_id, quantity=qty,
                    status=ACTIVE, expires_at=expires, created_at=now,
                )
            )
        session.flush()


def _close(session: Session, reservation_id: str, from_status: str, to_status: str, now: datetime) -> bool:
    # conditional on the current status: a payment and the expiry job racing close it only once
    res = session.execute(
        update(Reservation)
        .where(Reservation.id == reservation_id, Reservation.status == from_status)
        .values(status=to_status, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(res) == 1


def _held(session: Session, reference: str, *statuses: str) -> list[tuple[str, str, int]]:
    rows = session.execute(
        select(Reservation.id, Reservation.variant_id, Reservation.quantity)
        .where(Reservation.reference == reference, Reservation.status.in_(statuses))
        .order_by(Reservation.variant_id)
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


def _adjust(session: Session, variant_id: str, *, reserved: int = 0, on_hand: int = 0, now: datetime) -> None:
    session.execute(
        update(Stock)
        .where(Stock.variant_id == variant_id)
        .values(reserved=Stock.reserved + reserved, on_hand=Stock.on_hand + on_hand, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def release(session: Session, reference: str) -> int:
    """Give back every active hold of `reference`; returns the units released (0 if none: idempotent)."""
    now = utcnow()
    units = 0
    for rid, variant_id, qty in _held(session, reference, ACTIVE):
        if _close(session, rid, ACTIVE, RELEASED, now):
            _adjust(session, variant_id, reserved=-qty, now=now)
            units += qty
    return units


def convert(session: Session, reference: str) -> list[str]:
    """The order is paid: held units leave stock. Returns variant ids that could not be covered.

    If the hold had already lapsed (a late payment), the units are taken from free stock if it is
    still there, all or nothing; an empty list means everything was covered.
    """
    now = utcnow()
    for rid, variant_id, qty in _held(session, reference, ACTIVE):
        if _close(session, rid, ACTIVE, CONVERTED, now):
            _adjust(session, variant_id, reserved=-qty, on_hand=-qty, now=now)
    lapsed = _held(session, reference, EXPIRED, RELEASED)
    if not lapsed:
        return []
    short: list[str] = []
    try:
        with session.begin_nested():
            for rid, variant_id, qty in sorted(lapsed, key=lambda r: r[1]):
                res = session.execute(
                    update(Stock)
                    .where(Stock.variant_id == variant_id, Stock.on_hand - Stock.reserved >= qty)
                    .values(on_hand=Stock.on_hand - qty, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                if _rowcount(res) != 1:
                    short.append(variant_id)
                    raise OutOfStock(variant_id, qty, 0)
                session.execute(
                    update(Reservation).where(Reservation.id == rid).values(status=CONVERTED, closed_at=now)
                )
    except OutOfStock:
        return short
    return []


def restock(session: Session, reference: str) -> int:
    """A paid order was cancelled before it shipped: its converted units go back on the shelf."""
    now = utcnow()
    units = 0
    for rid, variant_id, qty in _held(session, reference, CONVERTED):
        if _close(session, rid, CONVERTED, RESTOCKED, now):
            _adjust(session, variant_id, on_hand=qty, now=now)
            units += qty
    return units


def expire_reservations(session: Session, now: datetime | None = None) -> int:
    """Release holds past their expiry; emits `ReservationExpired` per reference. Returns the count."""
    now = now or utcnow()
    due = session.execute(
        select(Reservation.id, Reservation.reference, Reservation.variant_id, Reservation.quantity)
        .where(Reservation.status == ACTIVE, Reservation.expires_at <= now)
        .order_by(Reservation.reference, Reservation.variant_id)
        .limit(1000)
    ).all()
    by_reference: dict[str, list[str]] = defaultdict(list)
    for rid, reference, variant_id, qty in due:
        if _close(session, rid, ACTIVE, EXPIRED, now):
            _adjust(session, variant_id, reserved=-int(qty), now=now)
            by_reference[reference].append(variant_id)
    for reference, variant_ids in by_reference.items():
        record_event(session, ReservationExpired(reference=reference, variant_ids=tuple(variant_ids)))
    return sum(len(v) for v in by_reference.values())


def reservations_of(session: Session, reference: str) -> dict[str, int]:
    """Units per status held under `reference` (for order screens and tests)."""
    rows = session.execute(
        select(Reservation.status, func.sum(Reservation.quantity))
        .where(Reservation.reference == reference)
        .group_by(Reservation.status)
    ).all()
    return {str(status): int(qty) for status, qty in rows}


def hold_expires_at(session: Session, reference: str) -> datetime | None:
    """When the earliest active hold of `reference` lapses (None: nothing is held)."""
    return session.scalar(
        select(func.min(Reservation.expires_at))
        .where(Reservation.reference == reference, Reservation.status == ACTIVE)
    )


def stock_level(session: Session, variant_id: str) -> tuple[int, int]:
    """(on_hand, reserved) of a variant; (0, 0) if it has no stock row."""
    row = session.execute(
        select(Stock.on_hand, Stock.reserved).where(Stock.variant_id == variant_id)
    ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)
