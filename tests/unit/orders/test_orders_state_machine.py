"""The order state machine: every arrow that exists is allowed, every other one raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.orders import TRANSITIONS, IllegalTransition, OrderStatus, can_cancel, check_transition

ALLOWED = {
    ("awaiting_payment", "paid"),
    ("awaiting_payment", "cancelled"),
    ("paid", "fulfilled"),
    ("paid", "cancelled"),
    ("paid", "refunded"),
    ("fulfilled", "shipped"),
    ("fulfilled", "refunded"),
    ("shipped", "delivered"),
    ("shipped", "refunded"),
    ("delivered", "refunded"),
}
statuses = st.sampled_from([s.value for s in OrderStatus])


@given(statuses, statuses)
def test_a_move_is_legal_exactly_when_the_machine_has_that_arrow(current: str, target: str) -> None:
    if (current, target) in ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(IllegalTransition) as info:
            check_transition(current, target)
        assert info.value.code == "illegal_transition"
        assert (info.value.current, info.value.target) == (current, target)


def test_the_table_matches_the_documented_arrows() -> None:
    table = {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


def test_cancelled_and_refunded_are_terminal() -> None:
    assert TRANSITIONS[OrderStatus.CANCELLED] == frozenset()
    assert TRANSITIONS[OrderStatus.REFUNDED] == frozenset()


@pytest.mark.parametrize(
    "status,expected",
    [
        ("awaiting_payment", True),
        ("paid", True),
        ("fulfilled", False),
        ("shipped", False),
        ("delivered", False),
        ("cancelled", False),
        ("refunded", False),
    ],
)
def test_only_unfulfilled_orders_can_be_cancelled(status: str, expected: bool) -> None:
    assert can_cancel(status) is expected


def test_an_unknown_status_is_an_illegal_transition() -> None:
    with pytest.raises(IllegalTransition):
        check_transition("teleported", "paid")
