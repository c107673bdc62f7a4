"""Bots: the dialogue engine and its skills. `respond` answers one shopper turn from the state kept
in the conversation row; texts come from the message catalog in bots/texts/. bots/nlu is separate."""

from shopkeeper.bots.engine import respond, understand_ahead
from shopkeeper.bots.model import LANGUAGES, BotContext, BotTurn, Item
from shopkeeper.bots.phrases import t
from shopkeeper.bots.updates import order_update_reply

__all__ = [
    "LANGUAGES",
    "BotContext",
    "BotTurn",
    "Item",
    "order_update_reply",
    "respond",
    "t",
    "understand_ahead",
]
