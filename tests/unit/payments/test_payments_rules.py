"""Payment rules without a database: forward-only statuses, exact instalment splits, demo
signatures, Stripe amounts and event mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.adapters.payments.demo import DemoPaymentProvider
from shopkeeper.adapters.payments.stripe import from_stripe_amount, notice_from_event, to_stripe_amount
from shopkeeper.kernel.money import Money
from shopkeeper.payments import (
    IllegalPaymentTransition,
    InvalidSignature,
    can_move,
    check_move,
    instalment_plan,
)

FIXTURES = Path(__file__).parents[2] / "fixtures"
T = 1795000000


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("succeeded", "pending"),
        ("failed", "succeeded"),
        ("expired", "succeeded"),
        ("refunded", "succeeded"),
        ("pending", "refunded"),
        ("failed", "refunded"),
    ],
)
def test_outcomes_never_move_back_or_skip(current: str, target: str) -> None:
    assert not can_move(current, target)
    with pytest.raises(IllegalPaymentTransition) as err:
        check_move(current, target)
    assert err.value.code == "illegal_payment_transition"


def test_pending_settles_and_succeeded_refunds() -> None:
    assert all(can_move("pending", t) for t in ("succeeded", "failed", "expired"))
    assert can_move("succeeded", "refunded")


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["EUR", "JPY", "KWD", "PLN"]))
def test_instalments_sum_exactly_and_differ_by_at_most_one_minor_unit(minor: int, currency: str) -> None:
    parts = instalment_plan(Money(minor, currency))
    assert len(parts) == 3
    assert sum(p.amount_minor for p in parts) == minor
    assert max(p.amount_minor for p in parts) - min(p.amount_minor for p in parts) <= 1


def clock(now: float) -> DemoPaymentProvider:
    return DemoPaymentProvider("http://shop.test", "demo-webhook-secret", clock=lambda: now)


def test_demo_fixture_verifies_and_maps_to_a_notice() -> None:
    folder = FIXTURES / "demo_payments"
    body = (folder / "payment_succeeded.json").read_bytes()
    signature = (folder / "payment_succeeded.sig").read_text().strip()
    notice = clock(T + 5).parse_webhook(body, {"demo-signature": signature})  # header names are case-blind
    assert (notice.kind, notice.amount, notice.method, notice.instalments) == (
        "succeeded",
        Money(11900, "EUR"),
        "instalments",
        3,
    )
    assert notice.provider_session_id == "dcs_0192shopkeeper01" and notice.event_id == "devt_0192shopkeeper01"


@pytest.mark.parametrize("skew", [-301, 301])
def test_demo_signature_outside_five_minutes_is_rejected(skew: int) -> None:
    demo = clock(T)
    body = json.dumps({"id": "e"}).encode()
    headers = demo.sign(body, timestamp=T + skew)
    with pytest.raises(InvalidSignature):
        demo.parse_webhook(body, headers)


def test_demo_accepts_any_valid_v1_during_secret_rotation_and_rejects_garbage() -> None:
    demo = clock(T)
    body = (FIXTURES / "demo_payments" / "payment_succeeded.json").read_bytes()
    good = demo.sign(body)["Demo-Signature"]
    rotated = good.replace(",v1=", f",v1={'ab' * 32},v1=")
    assert demo.parse_webhook(body, {"Demo-Signature": rotated}).kind == "succeeded"
    for bad in ("", "v1=abc", f"t=x,{good.split(',')[1]}", good.replace("t=", "t=1")):
        with pytest.raises(InvalidSignature):
            demo.parse_webhook(body, {"Demo-Signature": bad})


@pytest.mark.parametrize(
    ("money", "stripe_units"),
    [
        (Money(1999, "EUR"), 1999),
        (Money(500, "JPY"), 500),
        (Money(1500, "KWD"), 1500),
        (Money(990, "ISK"), 99000),
    ],
)
def test_stripe_amounts_follow_stripes_decimal_rules(money: Money, stripe_units: int) -> None:
    assert to_stripe_amount(money) == stripe_units
    assert from_stripe_amount(stripe_units, money.currency.lower()) == money


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("checkout_session_completed", "succeeded"),
        ("checkout_session_completed_unpaid", "pending"),
        ("checkout_session_async_payment_succeeded", "succeeded"),
        ("checkout_session_async_payment_failed", "failed"),
        ("checkout_session_expired", "expired"),
        ("charge_refunded", "refunded"),
        ("payment_intent_created", "ignored"),
    ],
)
def test_stripe_events_map_to_notices(name: str, kind: str) -> None:
    event = json.loads((FIXTURES / "stripe" / f"{name}.json").read_text())
    notice = notice_from_event(event)
    assert notice.kind == kind and notice.event_id == event["id"]
    if kind == "refunded":
        assert notice.amount == Money(11900, "EUR") and notice.provider_payment_id == "pi_3ShopkeeperTest0001"
    elif kind != "ignored":
        assert notice.provider_session_id == "cs_test_a1Shopkeeper0001"
        assert notice.payment_id == "pay_0192shopkeeper01"
