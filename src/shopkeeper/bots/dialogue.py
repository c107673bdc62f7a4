"""One bot turn in progress: the services it may use, the dialogue state it reads and writes, the
language it answers in, and the reply it is building. Skills receive this object."""

from __future__ import annotations

import copy
import logging
from typing import Any

from sqlalchemy.orm import Session

from shopkeeper.bots import formatting as fmt
from shopkeeper.bots.model import BotContext, BotTurn, Item
from shopkeeper.bots.phrases import t
from shopkeeper.channels.messages import Button, Part, QuickReplies, Reply, TextPart
from shopkeeper.kernel.money import Money

log = logging.getLogger(__name__)


class Dialogue:
    def __init__(self, services: Any, session: Session, ctx: BotContext, language: str) -> None:
        self.services = services
        self.session = session
        self.ctx = ctx
        self.state: dict[str, Any] = copy.deepcopy(ctx.state)
        self.lang = language
        self.parts: list[Part] = []
        self.handoff_reason: str | None = None
        self.handoff_note: str | None = None
        self.understanding: Any = None
        self.text = ""
        self.prefetched: dict[str, Any] = {}  # search results computed before the transaction

    # -- saying things --------------------------------------------------------------------------
    def say(self, key: str, **values: object) -> None:
        self.parts.append(TextPart(text=t(self.lang, key, **values)))

    def add_text(self, text: str) -> None:
        self.parts.append(TextPart(text=text))

    def tr(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def add(self, part: Part) -> None:
        self.parts.append(part)

    def suggest(self, key: str, options: list[tuple[str, str]], **values: object) -> None:
        self.parts.append(
            QuickReplies(
                text=t(self.lang, key, **values),
                options=[
                    Button(title=t(self.lang, title_key), payload=payload) for title_key, payload in options
                ],
            )
        )

    def money(self, value: Money) -> str:
        return fmt.money(value, self.lang)

    def hand_off(self, reason: str, note: str | None = None) -> None:
        self.handoff_reason, self.handoff_note = reason, note

    # -- state ----------------------------------------------------------------------------------
    @property
    def currency(self) -> str:
        return str(self.services.settings.currency)

    @property
    def items(self) -> list[Item]:
        return [Item.from_json(d) for d in (self.state.get("results") or {}).get("items", [])]

    def focus(self, product_id: str | None, variant_id: str | None = None) -> None:
        self.state["focus"] = {"product_id": product_id, "variant_id": variant_id}

    @property
    def focus_product(self) -> str | None:
        return (self.state.get("focus") or {}).get("product_id")

    @property
    def focus_variant(self) -> str | None:
        return (self.state.get("focus") or {}).get("variant_id")

    def cart_id(self) -> str:
        """The shopper's open cart, tied to this conversation (created on first use)."""
        from shopkeeper import cart

        view = cart.open_cart(self.session, self.ctx.customer_id, self.currency, self.ctx.conversation_id)
        self.state["cart_id"] = view.id
        return view.id

    def entity(self, kind: str) -> Any:
        u = self.understanding
        if u is None:
            return None
        for e in getattr(u, "entities", []):
            if e.type == kind:
                return e.value
        return None

    def entities(self, kind: str) -> list[Any]:
        u = self.understanding
        return (
            [e.value for e in getattr(u, "entities", [])]
            if u is not None and kind == "*"
            else [e.value for e in getattr(u, "entities", []) if e.type == kind]
            if u is not None
            else []
        )

    def recommended(self, method: str, *args: Any, **kwargs: Any) -> list[str]:
        """Product ids from the recommendations service, [] if it lacks the method or fails.

        Runs in a savepoint: recommenders write (profiles, counts), and a failed write must roll
        back only itself, never the turn's transaction."""
        fn = getattr(self.services.recommendations, method, None)
        if fn is None:
            return []
        try:
            with self.session.begin_nested():
                found = fn(self.session, *args, **kwargs)
        except Exception:  # a suggestion is a nicety; the answer must still go out
            log.exception("recommendations.%s failed", method)
            return []
        return [str(getattr(x, "product_id", x)) for x in found]

    def track(self, kind: str, data: dict[str, Any]) -> None:
        """Record the shopper's activity (feeds recommendations) in a savepoint: a listener's failed
        write must cost only the tracking, never the sale."""
        from shopkeeper import customers

        try:
            with self.session.begin_nested():
                customers.record_activity(self.session, self.ctx.customer_id, kind, data)
        except Exception:  # logged: a lost activity row is a bug to fix, not a reason to fail the turn
            log.exception("recording %s activity failed", kind)

    def finish(self) -> BotTurn:
        self.state["lang"] = self.lang
        reply = Reply(parts=list(self.parts), language=self.lang, sender="bot")
        return BotTurn(
            replies=[reply] if reply.parts else [],
            state=self.state,
            language=self.lang,
            handoff_reason=self.handoff_reason,
            handoff_note=self.handoff_note,
        )
