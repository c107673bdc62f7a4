"""Live web chat across server processes: two hubs joined by the Redis relay (a real Redis on
127.0.0.1:6379, as in production), standing for two processes of `shopkeeper serve --workers 2`."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from shopkeeper.adapters.redis_relay import RedisRelay
from shopkeeper.conversations import WebchatHub
from shopkeeper.kernel.clock import new_id

REDIS_URL = os.environ.get("SHOPKEEPER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def hubs() -> Iterator[tuple[WebchatHub, WebchatHub]]:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:  # .ci/run starts Redis; a developer machine may not have it
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    channel = new_id("test-relay")  # a channel of this test's own
    relays = [RedisRelay(REDIS_URL, channel=channel), RedisRelay(REDIS_URL, channel=channel)]
    yield WebchatHub(relay=relays[0]), WebchatHub(relay=relays[1])
    for relay in relays:
        relay.close()


async def _frames(queue: asyncio.Queue[dict[str, Any]], wait_s: float) -> list[dict[str, Any]]:
    """What arrives on a socket's queue within `wait_s`."""
    got: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while (left := deadline - loop.time()) > 0:
        try:
            got.append(await asyncio.wait_for(queue.get(), left))
        except TimeoutError:
            break
    return got


def test_a_reply_delivered_in_one_process_reaches_the_socket_open_in_another_once(
    hubs: tuple[WebchatHub, WebchatHub],
) -> None:
    here, there = hubs

    async def scenario() -> list[dict[str, Any]]:
        queue = there.subscribe("conv-1")
        assert here.connected("conv-1") == 0 and here.may_deliver("conv-1")
        # the outbox sender of process A, then the socket handler of process B, offer the same reply
        here.deliver_once("conv-1", "msg-1", {"parts": [{"type": "text", "text": "Paid, thank you"}]})
        there.deliver_once("conv-1", "msg-1", {"parts": [{"type": "text", "text": "Paid, thank you"}]})
        here.publish("conv-1", {"type": "owner", "owner": "waiting"})
        here.deliver_once("conv-2", "msg-2", {"parts": []})  # another conversation's socket
        return await _frames(queue, 1.5)

    frames = asyncio.run(scenario())
    assert frames == [
        {
            "type": "reply",
            "message_id": "msg-1",
            "reply": {"parts": [{"type": "text", "text": "Paid, thank you"}]},
        },
        {"type": "owner", "owner": "waiting"},
    ]


def test_a_hub_without_a_relay_delivers_only_to_its_own_sockets() -> None:
    alone, other = WebchatHub(), WebchatHub()

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        mine, theirs = alone.subscribe("conv-1"), other.subscribe("conv-1")
        assert alone.deliver_once("conv-1", "msg-1", {"parts": []})
        assert not alone.deliver_once("conv-1", "msg-1", {"parts": []})  # pushed already
        return await _frames(mine, 0.2), await _frames(theirs, 0.2)

    mine, theirs = asyncio.run(scenario())
    assert [f["message_id"] for f in mine] == ["msg-1"] and theirs == []
    assert not other.may_deliver("conv-9")
