"""Greeting (a personalised carousel for returning customers), thanks, goodbye, chit-chat, the
language switch and the human handoff."""

from __future__ import annotations

from shopkeeper import handoff, inventory, orders
from shopkeeper.bots.cards import product_card
from shopkeeper.bots.dialogue import Dialogue
from shopkeeper.channels.messages import Carousel

STARTERS = [
    ("btn_bestsellers", "/search bestsellers"),
    ("btn_cart", "/cart"),
    ("btn_order_status", "/order"),
    ("btn_human", "/human"),
]


def greet(d: Dialogue) -> None:
    returning = bool(orders.list_orders(d.session, d.ctx.customer_id, limit=1))
    name = d.ctx.customer_name
    if returning and name:
        d.say("greet_returning", name=name)
    else:
        d.say("greet_new", shop=d.services.settings.shop_name)
    if returning:
        _personal_picks(d)
    d.suggest("greet_help", STARTERS[:3])


def _personal_picks(d: Dialogue) -> None:
    from shopkeeper.bots.skills.product import view_of

    ids = d.recommended("for_customer", d.ctx.customer_id, limit=4)
    views = [v for v in (view_of(d, i) for i in ids) if v is not None]
    if views:
        stock = inventory.available(d.session, [v.id for pv in views for v in pv.variants])
        d.say("greet_picks")
        d.add(Carousel(cards=[product_card(v, stock, d.lang) for v in views]))


def thanks(d: Dialogue) -> None:
    d.say("thanks")


def goodbye(d: Dialogue) -> None:
    d.say("goodbye")


def chitchat(d: Dialogue) -> None:
    d.say("chitchat")
    d.suggest("greet_help", STARTERS[:3])


def human(d: Dialogue, reason: str = handoff.ASKED) -> None:
    d.say("handoff_asked" if reason == handoff.ASKED else "handoff_unsure")
    d.hand_off(reason, d.text[:300] or None)


def not_understood(d: Dialogue) -> None:
    d.say("not_understood")
    d.suggest("greet_help", STARTERS)
