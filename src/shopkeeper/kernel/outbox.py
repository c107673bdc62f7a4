"""The durable outbox: every outbound message or webhook is a row written in the same transaction
as the change that caused it, delivered later by the worker with retries and backoff.

Senders are registered per `kind` (e.g. "channel.webchat", "channel.whatsapp", "webhook");
this module knows nothing about what they send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Index, String, Table, Text, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import Base, Database, core_connection

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"
BACKOFF_SECONDS = (1, 5, 30, 120, 600, 1800, 3600)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    destination: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), index=True)


@dataclass(frozen=True)
class SendResult:
    """What a sender reports: done (with the provider's id), or retry (optionally not before N s)."""

    ok: bool
    provider_message_id: str | None = None
    error: str | None = None
    retry_after_s: float | None = None
    permanent: bool = False


Sender = Callable[[OutboxMessage], SendResult]


def enqueue(
    session: Session,
    kind: str,
    destination: str,
    payload: dict[str, Any],
    *,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add a message to the outbox inside the caller's transaction."""
    now = utcnow()
    msg = OutboxMessage(
        id=new_id("out"),
        kind=kind,
        destination=destination,
        payload=payload,
        dedupe_key=dedupe_key,
        status=PENDING,
        attempts=0,
        next_attempt_at=not_before or now,
        created_at=now,
    )
    if dedupe_key is not None:
        existing = session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    session.add(msg)
    return msg


# built once: no statement building or cache key per call
_INSERT = insert(cast(Table, OutboxMessage.__table__))


def outbox_row(
    kind: str,
    destination: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    sent_as: str | None = None,
) -> dict[str, Any]:
    """The values of one outbox row for `enqueue_rows` (no dedupe key). `sent_as` records a
    message its caller has already handed over (e.g. in the HTTP response or to the in-process
    hub) as sent once, under that provider id: the worker then leaves it alone."""
    return {
        "id": new_id("out"),
        "kind": kind,
        "destination": destination,
        "payload": payload,
        "dedupe_key": None,
        "status": SENT if sent_as is not None else PENDING,
        "attempts": 1 if sent_as is not None else 0,
        "next_attempt_at": now,
        "created_at": now,
        "sent_at": now if sent_as is not None else None,
        "last_error": None,
        "provider_message_id": sent_as,
    }


def enqueue_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert outbox rows (from `outbox_row`) in the caller's transaction with one Core
    statement (an executemany for several): the hot path of a chat turn, with no unit of work."""
    if rows:
        core_connection(session).execute(_INSERT, rows)


def _claim(db: Database, limit: int, kinds: set[str] | None) -> list[str]:
    now = utcnow()
    with db.session() as s:
        q = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at)
            .limit(limit)
        )
        if kinds:
            q = q.where(OutboxMessage.kind.in_(kinds))
        if db.dialect == "postgresql":
            q = q.with_for_update(skip_locked=True)
        ids = list(s.scalars(q))
        if ids:
            # lease: a crashed worker's claim becomes due again after the lease runs out
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(status=SENDING, next_attempt_at=now + timedelta(minutes=5))
            )
    return ids


def deliver_due(db: Database, senders: Mapping[str, Sender], *, limit: int = 100) -> int:
    """Deliver what is due; returns how many were attempted. Safe to run from several workers.

    The sender runs with no transaction open: on SQLite a write lock held across an HTTP call
    (possibly to this very server) would stall every other writer.
    """
    ids = _claim(db, limit, set(senders))
    for msg_id in ids:
        with db.session() as s:
            msg = s.get(OutboxMessage, msg_id)
            if msg is None:
                continue
            s.expunge(msg)
        try:
            result = senders[msg.kind](msg)
        except Exception as exc:  # a sender bug is a retryable failure, never a lost message
            log.exception("outbox sender %s failed", msg.kind)
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
        with db.session() as s:
            row = s.get(OutboxMessage, msg_id)
            if row is not None:
                _apply(row, result)
    return len(ids)


def _apply(msg: OutboxMessage, result: SendResult) -> None:
    now = utcnow()
    msg.attempts += 1
    if result.ok:
        msg.status, msg.sent_at = SENT, now
        msg.provider_message_id = result.provider_message_id
        msg.last_error = None
        return
    msg.last_error = (result.error or "failed")[:2000]
    if result.permanent or msg.attempts >= MAX_ATTEMPTS:
        msg.status = DEAD
        return
    delay: float = BACKOFF_SECONDS[min(msg.attempts - 1, len(BACKOFF_SECONDS) - 1)]
    if result.retry_after_s is not None:
        delay = max(delay, result.retry_after_s)
    msg.status, msg.next_attempt_at = PENDING, now + timedelta(seconds=delay)


def requeue_expired_leases(db: Database) -> int:
    """Messages left in `sending` by a crashed worker go back to pending once their lease expired."""
    with db.session() as s:
        res = s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == SENDING, OutboxMessage.next_attempt_at <= utcnow())
            .values(status=PENDING)
        )
        return int(getattr(res, "rowcount", 0) or 0)


__all__ = [
    "DEAD",
    "PENDING",
    "SENDING",
    "SENT",
    "OutboxMessage",
    "SendResult",
    "Sender",
    "deliver_due",
    "enqueue",
    "enqueue_rows",
    "outbox_row",
    "requeue_expired_leases",
]
