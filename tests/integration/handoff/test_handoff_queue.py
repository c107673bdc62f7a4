"""The waiting queue: one open ticket per conversation, oldest first, assignment and closing;
agent authority per role."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopkeeper import handoff
from shopkeeper.kernel.db import Database


def test_queue_keeps_one_open_ticket_per_conversation_oldest_first(database: Database) -> None:
    with database.session() as s:
        first = handoff.open_ticket(s, "cnv_a", "cus_a", handoff.ASKED, "wants a person")
        handoff.open_ticket(s, "cnv_b", "cus_b", handoff.OUT_OF_SCOPE)
        again = handoff.open_ticket(s, "cnv_a", "cus_a", handoff.UNSURE)
    assert again.id == first.id and again.reason == handoff.ASKED
    with database.session() as s:
        queue = handoff.waiting_queue(s)
    assert [(t.conversation_id, t.reason) for t in queue] == [("cnv_a", "asked"), ("cnv_b", "out_of_scope")]
    assert queue[0].requested_at <= queue[1].requested_at


def test_assigned_ticket_leaves_the_queue_and_closing_ends_it(database: Database) -> None:
    with database.session() as s:
        handoff.open_ticket(s, "cnv_a", "cus_a", handoff.ASKED)
        taken = handoff.assign_ticket(s, "cnv_a", "cus_a", "agt_1")
    assert (taken.status, taken.agent_id) == ("assigned", "agt_1") and taken.assigned_at is not None
    with database.session() as s:
        assert handoff.waiting_queue(s) == []
        closed = handoff.close_ticket(s, "cnv_a")
        assert closed is not None and closed.status == "closed"
        assert handoff.find_open_ticket(s, "cnv_a") is None


def test_unknown_reason_is_refused(database: Database) -> None:
    with database.session() as s, pytest.raises(handoff.UnknownReason):
        handoff.open_ticket(s, "cnv_a", "cus_a", "bored")


def test_discount_authority_defaults_per_role_and_can_be_set_by_the_merchant(database: Database) -> None:
    with database.session() as s:
        assert handoff.max_discount_percent(s, "agent") == Decimal("10")
        assert handoff.max_discount_percent(s, "intern") == Decimal("0")
        handoff.set_max_discount(s, "agent", Decimal("15"))
    with database.session() as s:
        assert handoff.max_discount_percent(s, "agent") == Decimal("15")
