"""When to escalate to a human, and agent discount authority."""

from __future__ import annotations

from decimal import Decimal

from shopkeeper import handoff
from shopkeeper.kernel.money import Money

POLICY = handoff.HandoffPolicy(high_value_threshold=Money(50_000, "EUR"))


def test_asking_for_a_human_always_escalates() -> None:
    assert handoff.escalation_reason(POLICY, asked=True, confidence=0.99) == handoff.ASKED


def test_second_out_of_scope_message_in_a_row_escalates_but_the_first_does_not() -> None:
    assert handoff.escalation_reason(POLICY, out_of_scope_streak=1) is None
    assert handoff.escalation_reason(POLICY, out_of_scope_streak=2) == handoff.OUT_OF_SCOPE


def test_unsure_bot_escalates_below_the_confidence_floor() -> None:
    assert handoff.escalation_reason(POLICY, confidence=0.2) == handoff.UNSURE
    assert handoff.escalation_reason(POLICY, confidence=0.9) is None


def test_cart_above_the_merchant_threshold_escalates() -> None:
    assert handoff.escalation_reason(POLICY, cart_total=Money(50_001, "EUR")) == handoff.HIGH_VALUE
    assert handoff.escalation_reason(POLICY, cart_total=Money(50_000, "EUR")) is None
    assert handoff.escalation_reason(POLICY, cart_total=Money(90_000, "PLN")) is None  # other currency


def test_agent_may_grant_up_to_their_limit_only() -> None:
    assert handoff.may_grant_discount(Decimal("10"), Decimal("10"))
    assert not handoff.may_grant_discount(Decimal("10"), Decimal("10.5"))
    assert not handoff.may_grant_discount(Decimal("10"), Decimal("-1"))
