"""Handoff: when a conversation goes to a human (rules), the waiting queue with reasons and times,
assignment, and agent authority (discount limits per role). Knows conversation ids, not their rows."""

from shopkeeper.handoff.errors import HandoffError, TicketNotFound, UnknownReason
from shopkeeper.handoff.model import (
    ASKED,
    DEFAULT_MAX_DISCOUNT_PERCENT,
    HIGH_VALUE,
    OUT_OF_SCOPE,
    REASONS,
    UNSURE,
    HandoffPolicy,
    escalation_reason,
    may_grant_discount,
)
from shopkeeper.handoff.services import (
    TicketView,
    assign_ticket,
    close_ticket,
    find_open_ticket,
    get_ticket,
    max_discount_percent,
    open_ticket,
    set_max_discount,
    waiting_queue,
)

__all__ = [
    "ASKED",
    "DEFAULT_MAX_DISCOUNT_PERCENT",
    "HIGH_VALUE",
    "OUT_OF_SCOPE",
    "REASONS",
    "UNSURE",
    "HandoffError",
    "HandoffPolicy",
    "TicketNotFound",
    "TicketView",
    "UnknownReason",
    "assign_ticket",
    "close_ticket",
    "escalation_reason",
    "find_open_ticket",
    "get_ticket",
    "max_discount_percent",
    "may_grant_discount",
    "open_ticket",
    "set_max_discount",
    "waiting_queue",
]
