"""Handoff use cases: open a ticket in the waiting queue, assign, close, and agent authority.

The conversation's owner itself lives in `conversations`, which calls these in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopkeeper.handoff.errors import TicketNotFound, UnknownReason
from shopkeeper.handoff.model import DEFAULT_MAX_DISCOUNT_PERCENT, REASONS
from shopkeeper.handoff.store import AgentAuthority, HandoffTicket
from shopkeeper.kernel.clock import new_id, utcnow

WAITING, ASSIGNED, CLOSED = "waiting", "assigned", "closed"


@dataclass(frozen=True)
class TicketView:
    id: str
    conversation_id: str
    customer_id: str
    reason: str
    note: str | None
    status: str
    agent_id: str | None
    requested_at: datetime
    assigned_at: datetime | None
    closed_at: datetime | None


def _view(t: HandoffTicket) -> TicketView:
    return TicketView(
        t.id,
        t.conversation_id,
        t.customer_id,
        t.reason,
        t.note,
        t.status,
        t.agent_id,
        t.requested_at,
        t.assigned_at,
        t.closed_at,
    )


def _open_ticket_row(session: Session, conversation_id: str) -> HandoffTicket | None:
    return session.scalar(
        select(HandoffTicket)
        .where(HandoffTicket.conversation_id == conversation_id, HandoffTicket.status != CLOSED)
        .order_by(HandoffTicket.requested_at.desc())
    )


def open_ticket(
    session: Session, conversation_id: str, customer_id: str, reason: str, note: str | None = None
) -> TicketView:
    """Queue the conversation for an agent; an already open ticket is kept (one per conversation)."""
    if reason not in REASONS:
        raise UnknownReason(f"unknown handoff reason {reason!r}")
    existing = _open_ticket_row(session, conversation_id)
    if existing is not None:
        return _view(existing)
    row = HandoffTicket(
        id=new_id("hof"),
        conversation_id=conversation_id,
        customer_id=customer_id,
        reason=reason,
        note=(note or None) and note[:2000],
        status=WAITING,
        requested_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _view(row)


def find_open_ticket(session: Session, conversation_id: str) -> TicketView | None:
    row = _open_ticket_row(session, conversation_id)
    return _view(row) if row else None


def assign_ticket(session: Session, conversation_id: str, customer_id: str, agent_id: str) -> TicketView:
    """An agent takes the conversation (opening a ticket if they took it over unasked)."""
    row = _open_ticket_row(session, conversation_id)
    if row is None:
        row = HandoffTicket(
            id=new_id("hof"),
            conversation_id=conversation_id,
            customer_id=customer_id,
            reason="asked",
            note="taken over by an agent",
            status=WAITING,
            requested_at=utcnow(),
        )
        session.add(row)
    row.status, row.agent_id, row.assigned_at = ASSIGNED, agent_id, utcnow()
    session.flush()
    return _view(row)


def close_ticket(session: Session, conversation_id: str) -> TicketView | None:
    """The conversation went back to the bot: its ticket leaves the queue."""
    row = _open_ticket_row(session, conversation_id)
    if row is None:
        return None
    row.status, row.closed_at = CLOSED, utcnow()
    session.flush()
    return _view(row)


def waiting_queue(session: Session, limit: int = 100) -> list[TicketView]:
    """Tickets waiting for an agent, oldest first (the order agents should pick them up)."""
    rows = session.scalars(
        select(HandoffTicket)
        .where(HandoffTicket.status == WAITING)
        .order_by(HandoffTicket.requested_at)
        .limit(limit)
    )
    return [_view(r) for r in rows]


def get_ticket(session: Session, ticket_id: str) -> TicketView:
    row = session.get(HandoffTicket, ticket_id)
    if row is None:
        raise TicketNotFound(ticket_id)
    return _view(row)


def set_max_discount(session: Session, role: str, percent: Decimal) -> None:
    row = session.get(AgentAuthority, role)
    if row is None:
        row = AgentAuthority(role=role, max_discount_percent=str(percent))
        session.add(row)
    row.max_discount_percent = str(percent)
    session.flush()


def max_discount_percent(session: Session, role: str) -> Decimal:
    """The biggest discount an agent of this role may grant (stored per merchant, else the default)."""
    row = session.get(AgentAuthority, role)
    if row is not None:
        return Decimal(row.max_discount_percent)
    return DEFAULT_MAX_DISCOUNT_PERCENT.get(role, Decimal(0))
