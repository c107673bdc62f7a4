"""The production layout: `shopkeeper serve --no-worker` acknowledges and stores channel webhooks,
`shopkeeper worker` processes them — here two Services on one database (and once a real second
process). Every stored event is processed exactly once in effect: leases keep two workers off the
same event, a worker that dies mid-turn hands its events on once the lease runs out, and neither a
redo nor a provider's replay produces a second reply."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from channel_env import FIXTURES, PUBLIC, build_deployment_services, channel_settings, run_worker_process
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from shopkeeper.adapters.channels import claim, handle_message, inbox_db, process_pending
from shopkeeper.adapters.channels.inbound import LEASE, MAX_ATTEMPTS, RETRY_DELAY
from shopkeeper.adapters.channels.simulator import build_webhook
from shopkeeper.bootstrap import Services
from shopkeeper.channels.messages import InboundMessage
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.inbox import InboundEvent, record_inbound
from shopkeeper.kernel.outbox import SENT, OutboxMessage
from shopkeeper.web.app import create_app
from shopkeeper.worker import BackgroundWorker


class Deployment:
    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.web, _ = build_deployment_services(database_url, data_dir, migrate=True)
        self.web.extras["channel_processing"] = "worker"  # what `serve --no-worker` sets
        self.client = TestClient(create_app(self.web, run_worker=False), base_url=PUBLIC)
        self.worker, self.fake = build_deployment_services(database_url, data_dir, migrate=False)
        self.other, _ = build_deployment_services(database_url, data_dir, migrate=False)

    def post(self, provider: str, name: str) -> int:
        ext = "form" if provider == "twilio" else "json"
        body = (FIXTURES / provider / f"{name}.{ext}").read_bytes()
        import json

        headers = json.loads((FIXTURES / provider / f"{name}.headers.json").read_text())
        path = headers.pop("X-Fixture-Path", f"/webhooks/{provider}")
        return self.client.post(path, content=body, headers=headers).status_code

    def post_sms(self, sender: str, text: str) -> int:
        hook = build_webhook("sms", channel_settings(), sender=sender, text=text, public_url=PUBLIC)
        return self.client.post(hook.path, content=hook.body, headers=hook.headers).status_code

    def events(self) -> list[InboundEvent]:
        with inbox_db(self.web).session() as s:
            return list(s.scalars(select(InboundEvent).order_by(InboundEvent.received_at)))

    def replies(self) -> list[OutboxMessage]:
        with self.web.db.session() as s:
            return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind.like("channel.%"))))

    def close(self) -> None:
        for services in (self.web, self.worker, self.other):
            inbox = inbox_db(services)
            if inbox is not services.db:
                inbox.dispose()
            services.db.dispose()


@pytest.fixture
def deployment(database_url: str, tmp_path: Path) -> Iterator[Deployment]:
    dep = Deployment(database_url, tmp_path)
    try:
        yield dep
    finally:
        dep.close()


def drain(worker: Services) -> int:
    loop, total = BackgroundWorker(worker), 0
    while (busy := loop.tick()) > 0:
        total += busy
    return total


def test_the_web_process_only_stores_and_the_worker_answers_each_message_once(deployment: Deployment) -> None:
    # given a bot turn, a STOP keyword and a delivery status acknowledged by the web process
    codes = [
        deployment.post("whatsapp", "text"),
        deployment.post("twilio", "sms_stop"),
        deployment.post("whatsapp", "status_read"),
    ]
    assert codes == [200, 200, 200]
    assert [e.processed_at for e in deployment.events()] == [None, None, None] and deployment.replies() == []
    # when the worker (another Services: its own engines and inbox connection) runs its loop
    drain(deployment.worker)
    # then each event was taken once, the bot and the keyword answered once, and the worker sent both
    events = deployment.events()
    assert all(e.processed_at is not None and e.error is None and e.attempts == 1 for e in events)
    replies = deployment.replies()
    assert sorted(r.kind for r in replies) == ["channel.sms", "channel.whatsapp"]
    assert {r.status for r in replies} == {SENT}
    sent = len(deployment.fake.requests)
    # and the provider's replays are acknowledged, stored nothing new and answered by nobody
    assert [deployment.post("whatsapp", "text"), deployment.post("twilio", "sms_stop")] == [200, 200]
    assert drain(deployment.worker) == 0
    assert (
        len(deployment.events()) == 3
        and len(deployment.replies()) == 2
        and len(deployment.fake.requests) == sent
    )


def test_two_workers_racing_over_the_same_events_take_each_one_once(deployment: Deployment) -> None:
    senders = [f"+1555300{i:04d}" for i in range(30)]
    assert {deployment.post_sms(s, "HELP") for s in senders} == {200}
    taken: dict[str, int] = {}

    def work(name: str, services: Services) -> None:
        taken[name] = 0
        while (n := process_pending(services, limit=3)) or any(
            e.processed_at is None for e in deployment.events()
        ):
            taken[name] += n

    threads = [
        threading.Thread(target=work, args=(n, s))
        for n, s in (("a", deployment.worker), ("b", deployment.other))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(taken.values()) == 30
    assert all(
        e.processed_at is not None and e.attempts == 1 and e.error is None for e in deployment.events()
    )
    assert sorted(r.destination for r in deployment.replies()) == sorted(senders)  # one HELP answer each


@pytest.mark.parametrize("turn_committed", [False, True])
def test_a_worker_dying_mid_turn_leaves_the_event_to_another_once_its_lease_runs_out(
    deployment: Deployment, turn_committed: bool
) -> None:
    assert deployment.post("twilio", "sms_stop") == 200
    # given worker A leased the event and died (before or after its turn committed)
    (event_id,) = claim(deployment.worker)
    if turn_committed:
        (event,) = deployment.events()
        handle_message(deployment.worker, InboundMessage.model_validate(event.meta["data"]))
    # then worker B leaves it alone while the lease holds
    assert process_pending(deployment.other) == 0
    # and takes it over once it has run out, answering the shopper exactly once in all
    with time_machine.travel(utcnow() + LEASE + timedelta(seconds=1)):
        assert process_pending(deployment.other) == 1
    (event,) = deployment.events()
    assert event.id == event_id and event.processed_at is not None and event.attempts == 2
    assert len(deployment.replies()) == 1


def test_an_event_that_keeps_killing_its_worker_is_set_aside_for_a_human(deployment: Deployment) -> None:
    assert deployment.post("twilio", "sms_stop") == 200
    when = utcnow()
    for _ in range(MAX_ATTEMPTS):  # each worker that took it died
        with time_machine.travel(when):
            assert len(claim(deployment.worker)) == 1
        when += LEASE + timedelta(seconds=1)
    with time_machine.travel(when):
        assert claim(deployment.other) == []
    (event,) = deployment.events()
    assert event.processed_at is not None and event.error == f"gave up after {MAX_ATTEMPTS} attempts"
    assert deployment.replies() == []


def test_an_event_whose_processing_raises_is_retried_then_kept_with_its_error(deployment: Deployment) -> None:
    with inbox_db(deployment.web).session() as s:  # stored, but not a message the bot can read
        record_inbound(s, "channel.sms", "SMbroken", "{}", {"type": "message", "data": {"channel": "sms"}})
    when = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with time_machine.travel(when):
            assert process_pending(deployment.worker) == 1
            assert process_pending(deployment.worker) == 0  # not before the retry delay
        (event,) = deployment.events()
        assert event.attempts == attempt and event.error and "ValidationError" in event.error
        assert (event.processed_at is None) == (attempt < MAX_ATTEMPTS)
        when += RETRY_DELAY + timedelta(seconds=1)


def test_a_real_worker_process_answers_what_the_web_process_acknowledged(
    deployment: Deployment, database_url: str, tmp_path: Path
) -> None:
    worker = multiprocessing.get_context("spawn").Process(
        target=run_worker_process, args=(database_url, str(tmp_path)), daemon=True
    )
    worker.start()
    try:
        assert deployment.post("twilio", "sms_stop") == 200
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not [r for r in deployment.replies() if r.status == SENT]:
            time.sleep(0.2)
        (event,) = deployment.events()
        assert event.processed_at is not None and event.attempts == 1
        (reply,) = deployment.replies()
        assert reply.status == SENT and reply.kind == "channel.sms"
        assert deployment.post("twilio", "sms_stop") == 200  # the provider retries
        time.sleep(1.0)  # ten idle polls of the worker
        assert len(deployment.replies()) == 1
    finally:
        worker.terminate()
        worker.join(timeout=10)
    with deployment.web.db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1
