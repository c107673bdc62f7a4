"""Pure channel rules: status ordering, sending windows, opt-out keywords, SMS segments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopkeeper.channels.model import count_segments, decide_send, match_keyword, split_text, status_advances
from shopkeeper.kernel.clock import utcnow


def test_statuses_only_move_forward() -> None:
    assert status_advances(None, "sent") and status_advances("sent", "read")
    assert not status_advances("read", "delivered")
    assert not status_advances("read", "failed") and not status_advances("failed", "read")
    assert not status_advances("delivered", "delivered") and not status_advances("sent", "bogus")


@pytest.mark.parametrize("channel", ["whatsapp", "twilio_whatsapp"])
def test_whatsapp_window(channel: str) -> None:
    now = utcnow()
    inside = decide_send(channel, last_inbound_at=now - timedelta(hours=23), now=now, sender="bot")
    assert inside.allowed and inside.mode == "free"
    outside = decide_send(channel, last_inbound_at=now - timedelta(hours=25), now=now, sender="agent")
    assert not outside.allowed and "template" in outside.reason
    templ = decide_send(channel, last_inbound_at=None, now=now, sender="system", has_template=True)
    assert templ.allowed and templ.mode == "template"


@pytest.mark.parametrize("channel", ["messenger", "instagram"])
def test_meta_human_agent_tag_is_for_agents_within_seven_days(channel: str) -> None:
    now = utcnow()
    two_days = now - timedelta(days=2)
    agent = decide_send(channel, last_inbound_at=two_days, now=now, sender="agent")
    assert agent.allowed and agent.mode == "human_agent_tag"
    assert not decide_send(channel, last_inbound_at=two_days, now=now, sender="bot").allowed
    assert not decide_send(channel, last_inbound_at=now - timedelta(days=8), now=now, sender="agent").allowed


def test_opted_out_refuses_everything_but_the_keyword_confirmation() -> None:
    now = utcnow()
    assert not decide_send("sms", last_inbound_at=now, now=now, sender="bot", opted_out=True).allowed
    assert decide_send(
        "sms", last_inbound_at=now, now=now, sender="system", opted_out=True, is_keyword_reply=True
    ).allowed
    assert decide_send("telegram", last_inbound_at=None, now=now, sender="bot").allowed


def test_keywords_whole_message_only_in_merchant_languages() -> None:
    assert match_keyword("STOP", ["en"]) == ("stop", "en")
    assert match_keyword(" Unsubscribe! ", ["en"]) == ("stop", "en")
    assert match_keyword("stop sending me shoes", ["en"]) is None
    assert match_keyword("Wypisz", ["en", "pl"]) == ("stop", "pl")
    assert match_keyword("Wypisz", ["en"]) is None
    assert match_keyword("HELP", ["en"]) == ("help", "en") and match_keyword("start", ["en"]) == (
        "start",
        "en",
    )


def test_sms_segments_gsm7_and_ucs2() -> None:
    assert count_segments("a" * 160).segments == 1 and count_segments("a" * 161).segments == 2
    assert count_segments("a" * 306).segments == 2 and count_segments("a" * 307).segments == 3
    assert count_segments("€" * 80).units == 160  # extension table: two septets each
    emoji = count_segments("hi 👟")
    assert emoji.encoding == "UCS-2" and emoji.units == 5 and emoji.segments == 1
    assert count_segments("ż" * 70).segments == 1 and count_segments("ż" * 71).segments == 2


def test_split_text_keeps_every_word() -> None:
    text = " ".join(f"word{i}" for i in range(500))
    chunks = split_text(text, 100)
    assert all(len(c) <= 100 for c in chunks) and " ".join(chunks) == text
