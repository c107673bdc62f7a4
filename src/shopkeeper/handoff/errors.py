"""Handoff errors with stable codes."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class HandoffError(DomainError):
    code = "handoff_error"


class TicketNotFound(HandoffError):
    code = "handoff_ticket_not_found"


class UnknownReason(HandoffError):
    code = "handoff_reason_invalid"
