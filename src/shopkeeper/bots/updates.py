"""Order updates as chat replies (paid, shipped, delivered, cancelled, refunded) in the shopper's language."""

from __future__ import annotations

from typing import Any

from shopkeeper.bots.cards import order_summary
from shopkeeper.bots.phrases import t
from shopkeeper.channels.messages import Button, Reply


def order_update_reply(order: Any, key: str, language: str) -> Reply:
    reply = Reply(language=language, sender="bot")
    reply.text(t(language, key, number=order.number))
    summary = order_summary(order, language)
    if order.tracking_url and key == "order_shipped":
        summary = summary.model_copy(
            update={"buttons": [Button(title=t(language, "btn_track"), url=order.tracking_url)]}
        )
    reply.add(summary)
    return reply
