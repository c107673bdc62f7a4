"""Who may speak, and delivery statuses that only move forward."""

from __future__ import annotations

import pytest

from shopkeeper.conversations import bot_may_reply, status_moves_forward


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("queued", "sent", True),
        ("sent", "delivered", True),
        ("delivered", "read", True),
        ("queued", "read", True),
        ("queued", "failed", True),
        ("sent", "failed", True),
        ("delivered", "sent", False),
        ("read", "delivered", False),
        ("read", "failed", False),
        ("failed", "sent", False),
        ("delivered", "failed", False),
        ("sent", "sent", False),
        ("sent", "bogus", False),
    ],
)
def test_statuses_only_move_forward(current: str, new: str, allowed: bool) -> None:
    assert status_moves_forward(current, new) is allowed


def test_bot_replies_only_in_conversations_it_owns() -> None:
    assert bot_may_reply("bot")
    assert not bot_may_reply("agent")
    assert not bot_may_reply("waiting")
