"""The inbound path for every messaging channel: verify on raw bytes → parse → store each provider
event once (kernel.inbox) → acknowledge; then, from the stored events, apply statuses or run the
shopper's message through keywords, link codes, choice menus and the conversation (bot → outbox)."""

from __future__ import annotations

import gc
import logging
import queue
import re
import sys
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shopkeeper import customers
from shopkeeper.channels import services as ch
from shopkeeper.channels.errors import InvalidSignature, LinkCodeInvalid
from shopkeeper.channels.messages import InboundMessage, Reply
from shopkeeper.channels.model import keyword_text, match_keyword
from shopkeeper.channels.port import Channel, Ignored, Parsed, StatusUpdate, WebhookRequest
from shopkeeper.kernel import outbox
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.inbox import InboundEvent

log = logging.getLogger(__name__)

PHONE_CHANNELS = {"whatsapp", "sms", "twilio_whatsapp"}  # the sender id is a verified phone number
LINK_RE = re.compile(r"^\s*(?:/link|link)(?:\s+(\d{6}))?\s*$", re.IGNORECASE)
BATCH = 20  # events leased at once: one claim write and one finish write per batch, not per event
LEASE = timedelta(minutes=2)  # far above a batch of turns; only a dead processor's events wait this long
RETRY_DELAY = timedelta(seconds=30)  # an event whose processing raised is tried again after this
MAX_ATTEMPTS = 3


@dataclass
class Accepted:
    """What an acknowledged webhook stored: new event ids (to process) and how many were replays."""

    event_ids: list[str] = field(default_factory=list)
    replays: int = 0


def _provider(item: Parsed) -> str:
    return f"channel.{item.channel}"


def _event_id(item: Parsed) -> str:
    return item.message_id if isinstance(item, InboundMessage) else item.event_id


def _serialise(item: Parsed) -> dict[str, Any]:
    if isinstance(item, InboundMessage):
        return {"type": "message", "data": item.model_dump(mode="json")}
    data = asdict(item)
    for key in ("at", "watermark"):
        if isinstance(data.get(key), datetime):
            data[key] = data[key].isoformat()
    return {"type": "status" if isinstance(item, StatusUpdate) else "ignored", "data": data}


def _deserialise(meta: dict[str, Any]) -> Parsed:
    data = dict(meta["data"])
    if meta["type"] == "message":
        return InboundMessage.model_validate(data)
    if meta["type"] == "status":
        for key in ("at", "watermark"):
            if data.get(key):
                data[key] = datetime.fromisoformat(data[key])
        return StatusUpdate(**data)
    return Ignored(**data)


def inbox_db(services: Any) -> Database:
    """Where channel events are logged: the inbox's own database when the composition root gave it
    one (SQLite: a second file, so an acknowledgement never queues behind a bot turn's write lock),
    else the main database (PostgreSQL: row locks, no single writer)."""
    db = services.extras.get("inbox_db")
    return db if isinstance(db, Database) else services.db


def accept(services: Any, channel: Channel, request: WebhookRequest) -> Accepted:
    """Verify and store; raises InvalidSignature (nothing stored) for forged or unsigned bodies."""
    if not channel.verify(request):
        raise InvalidSignature(f"{channel.name}: signature check failed")
    items = channel.parse(request)
    body = request.body.decode("utf-8", errors="replace")
    now = utcnow()
    rows = [
        {
            "id": new_id("evt"),
            "provider": _provider(item),
            "event_id": _event_id(item),
            "body": body,
            "meta": _serialise(item),
            "received_at": now,
            "processed_at": now if isinstance(item, Ignored) else None,  # nothing to do for these
            "attempts": 0,
        }
        for item in items
    ]
    new = _store(inbox_db(services), rows)
    result = Accepted(replays=len(rows) - len(new))
    result.event_ids = [str(r["id"]) for r in rows if r["id"] in new and r["processed_at"] is None]
    return result


def _store(db: Database, rows: list[dict[str, Any]]) -> set[str]:
    """The acknowledgement's only write: one short transaction of INSERT … ON CONFLICT DO NOTHING on
    the provider's id (no ORM unit of work, no SELECT first); returns the ids that were new — the
    others are replays, including a concurrent duplicate delivery of the same event."""
    if not rows:
        return set()
    insert = sqlite_insert if db.dialect == "sqlite" else pg_insert
    stmt = (
        insert(InboundEvent)
        .on_conflict_do_nothing(index_elements=["provider", "event_id"])
        .returning(InboundEvent.id)
    )
    new: set[str] = set()
    with db.engine.begin() as conn:
        for row in rows:
            stored = conn.execute(stmt, row).scalar()
            if stored is not None:
                new.add(stored)
    return new


def _claimable(now: datetime) -> Any:
    """Stored channel events nobody is working on: never claimed, or their lease has run out (the
    processor crashed or was killed mid-turn)."""
    return and_(
        InboundEvent.provider.like("channel.%"),
        InboundEvent.processed_at.is_(None),
        or_(InboundEvent.claimed_until.is_(None), InboundEvent.claimed_until <= now),
    )


def _any_claimable(db: Database, event_ids: list[str] | None, now: datetime) -> bool:
    """A look without the write lock (a plain BEGIN on SQLite): an idle worker's polls, and a pump
    whose events the worker took first, then never queue in front of an acknowledgement."""
    with db.engine.connect() as conn:
        conn.info["write"] = False
        try:
            q = select(InboundEvent.id).where(_claimable(now))
            if event_ids is not None:
                q = q.where(InboundEvent.id.in_(event_ids))
            return conn.execute(q.limit(1)).first() is not None
        finally:
            conn.info.pop("write", None)


def _claim_rows(services: Any, event_ids: list[str] | None, limit: int) -> list[Any]:
    db, now = inbox_db(services), utcnow()
    if event_ids is not None:
        limit = max(limit, len(event_ids))
    if not _any_claimable(db, event_ids, now):
        return []
    with db.session() as session:
        q = select(InboundEvent.id, InboundEvent.attempts, InboundEvent.meta).where(_claimable(now))
        if event_ids is not None:
            q = q.where(InboundEvent.id.in_(event_ids))
        q = q.order_by(InboundEvent.received_at).limit(limit)
        if db.dialect == "postgresql":
            q = q.with_for_update(skip_locked=True)
        rows = session.execute(q).all()
        dead = [r.id for r in rows if r.attempts >= MAX_ATTEMPTS]
        live = [r for r in rows if r.attempts < MAX_ATTEMPTS]
        if dead:  # taken MAX_ATTEMPTS times and never finished: it kills its processor; a human looks
            session.execute(
                update(InboundEvent)
                .where(InboundEvent.id.in_(dead))
                .values(processed_at=now, claimed_until=None, error=f"gave up after {MAX_ATTEMPTS} attempts")
            )
        if live:
            session.execute(
                update(InboundEvent)
                .where(InboundEvent.id.in_([r.id for r in live]))
                .values(claimed_until=now + LEASE, attempts=InboundEvent.attempts + 1)
            )
    return live


def claim(services: Any, event_ids: list[str] | None = None, *, limit: int = BATCH) -> list[str]:
    """Lease up to `limit` unprocessed events (the given ones, or the oldest), so that no other
    thread or process works on them until the lease runs out. One short write transaction: on
    PostgreSQL rows another worker holds are skipped; on SQLite BEGIN IMMEDIATE serialises claimers."""
    return [r.id for r in _claim_rows(services, event_ids, limit)]


def _handle(services: Any, meta: dict[str, Any]) -> None:
    item = _deserialise(meta)
    if isinstance(item, StatusUpdate):
        apply_status(services, item)
    elif isinstance(item, InboundMessage):
        handle_message(services, item)


def _finish(services: Any, done: list[str], failed: dict[str, tuple[int, str]]) -> None:
    """Mark a batch done (one write) and put failures back with a delay, or give up on them."""
    now = utcnow()
    with inbox_db(services).session() as session:
        if done:
            session.execute(
                update(InboundEvent)
                .where(InboundEvent.id.in_(done))
                .values(processed_at=now, claimed_until=None, error=None)
            )
        for event_id, (attempts, error) in failed.items():
            final = attempts >= MAX_ATTEMPTS
            session.execute(
                update(InboundEvent)
                .where(InboundEvent.id == event_id)
                .values(
                    error=error,
                    processed_at=now if final else None,
                    claimed_until=None if final else now + RETRY_DELAY,
                )
            )


def process(services: Any, event_ids: list[str] | None = None, *, limit: int = BATCH) -> int:
    """Claim and process stored events (the given ones, or the oldest pending); returns how many
    this call claimed. Exactly once in effect: a lease keeps other processors off an event while it
    runs; if this process dies mid-turn the lease runs out and another one redoes the event, and the
    redo changes nothing already done (the turn is keyed on the provider's message id, system
    replies and callback answers have outbox dedupe keys, statuses only move forward). A failing
    event is retried after RETRY_DELAY, then kept with its error for a human."""
    rows = _claim_rows(services, event_ids, limit)
    done: list[str] = []
    failed: dict[str, tuple[int, str]] = {}
    for row in rows:  # arrival order: one shopper's messages in turn
        try:
            _handle(services, row.meta)
            done.append(row.id)
        except Exception as exc:  # keep the event and its error; retried, never lost silently
            log.exception("channel event %s failed", row.id)
            failed[row.id] = (row.attempts + 1, f"{type(exc).__name__}: {exc}"[:2000])
    if rows:
        _finish(services, done, failed)
    return len(rows)


def process_pending(services: Any, limit: int = BATCH) -> int:
    """The worker's poll (and the sweeper): the oldest events nobody is working on."""
    return process(services, None, limit=limit)


def apply_status(services: Any, upd: StatusUpdate) -> int:
    from shopkeeper import conversations

    with services.db.session() as session:
        changed = ch.apply_status(session, upd)
        for row in changed:
            if row.message_id:
                conversations.update_status(session, row.message_id, upd.status)
        if upd.status == "failed" and upd.error and upd.recipient_id and "21610" in upd.error:
            ch.set_opted_out(session, upd.channel, upd.recipient_id, True)  # Twilio: recipient sent STOP
        return len(changed)


def _system_reply(session: Any, msg: InboundMessage, text: str, language: str) -> None:
    """A reply that is not a bot turn (keyword confirmations, link codes): straight to the outbox."""
    reply = Reply(language=language, sender="system").text(text)
    outbox.enqueue(
        session,
        f"channel.{msg.channel}",
        msg.sender_id,
        {"reply": reply.model_dump(mode="json"), "channel_account": msg.channel_account, "system": "keyword"},
        dedupe_key=f"sys:{msg.channel}:{msg.message_id}",
    )


def _languages(services: Any) -> list[str]:
    cfg = services.extras.get("channel_settings")
    return list(getattr(cfg, "keyword_languages", None) or services.settings.languages)


def _pre_route(services: Any, session: Any, msg: InboundMessage) -> InboundMessage | None:
    """Channel-level handling before the bot. Returns the message to route on, or None if handled."""
    customer = customers.resolve_customer(session, msg.channel, msg.sender_id, msg.profile_name)
    if msg.channel in PHONE_CHANNELS and msg.sender_id.lstrip("+").isdigit():
        # the provider verified this number: the same phone on another channel is the same person
        customers.link_identity(session, customer.id, "phone", "+" + msg.sender_id.lstrip("+"))
    ch.touch_contact(
        session,
        msg.channel,
        msg.sender_id,
        account=msg.channel_account,
        customer_id=customer.id,
        language=msg.locale_hint,
        inbound_at=utcnow(),
    )
    if msg.channel == "telegram" and msg.raw.get("callback_query_id"):
        outbox.enqueue(
            session,
            "channel.telegram",
            msg.sender_id,
            {"answer_callback": msg.raw["callback_query_id"]},
            dedupe_key=f"cbq:{msg.message_id}",
        )
    if msg.payload:
        return msg.model_copy(update={"payload": ch.resolve_callback(session, msg.payload)})
    language = customer.language or services.settings.default_language
    hit = match_keyword(msg.text, _languages(services)) if msg.text else None
    if hit is not None:
        kw, kw_lang = hit
        source = f"keyword:{msg.text.strip().upper()}"
        if kw == "stop":
            customers.withdraw_all(session, customer.id, msg.channel, source)
            ch.set_opted_out(session, msg.channel, msg.sender_id, True)
        elif kw == "start":
            for purpose in sorted(customers.CONSENT_PURPOSES):
                customers.record_consent(session, customer.id, purpose, msg.channel, True, source)
            ch.set_opted_out(session, msg.channel, msg.sender_id, False)
        _system_reply(session, msg, keyword_text(kw, kw_lang, services.settings.shop_name), kw_lang)
        return None
    link = LINK_RE.match(msg.text or "")
    if link is not None:
        _link(session, msg, customer.id, link.group(1), language)
        return None
    choice = ch.resolve_choice(session, msg.channel, msg.sender_id, msg.text or "")
    if choice is not None:
        return msg.model_copy(update={"payload": choice})
    return msg


def _link(session: Any, msg: InboundMessage, customer_id: str, code: str | None, language: str) -> None:
    if code is None:
        issued = ch.issue_link_code(session, customer_id)
        text = (
            f'Your link code is {issued}. Send "link {issued}" from your other chat within 15 minutes '
            "to bring your cart and orders there."
        )
    else:
        try:
            owner = ch.redeem_link_code(session, code)
            customers.link_identity(session, owner, msg.channel, msg.sender_id)
            text = "Linked! Your cart, orders and history now follow you here."
        except LinkCodeInvalid:
            text = 'That link code is unknown or expired. Send "link" on your other chat to get a new one.'
    _system_reply(session, msg, text, language)


def handle_message(services: Any, msg: InboundMessage) -> list[Reply]:
    from shopkeeper import conversations

    with services.db.session() as session:
        routed = _pre_route(services, session, msg)
    if routed is None:
        return []
    return conversations.receive(services, routed)


def _tune_interpreter(switch_interval: float | None, gc_threshold: int | None) -> None:
    """Bot turns are CPU-bound Python on the pump's threads, in the same process as the webhook
    acknowledgements. A shorter interpreter-lock switch interval (default 5 ms) lets the ack thread
    back in sooner at each hand-off; a higher first-generation GC threshold (default 700) makes the
    collector — which stops every thread, ack included — run far less often during bot turns."""
    if switch_interval is not None:
        sys.setswitchinterval(switch_interval)
    if gc_threshold is not None:
        gen0, gen1, gen2 = gc.get_threshold()
        gc.set_threshold(max(gc_threshold, gen0), gen1, gen2)


class EventPump:
    """Processes stored events on its own daemon threads, so a webhook's connection is free the
    moment it is acknowledged (a request-scoped background task would hold the keep-alive
    connection until the bot has answered). The one-process layout (`serve`, `demo`); in production
    `shopkeeper worker` processes instead. Lost on a crash? No: the worker's poller finds the rows."""

    def __init__(
        self,
        services: Any,
        threads: int = 1,
        *,
        switch_interval: float | None = None,
        gc_threshold: int | None = None,
    ) -> None:
        self.services, self.threads = services, threads
        self.switch_interval, self.gc_threshold = switch_interval, gc_threshold
        self._queue: queue.Queue[list[str]] = queue.Queue()
        self._workers: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, event_ids: list[str]) -> None:
        self._start()
        self._queue.put(list(event_ids))

    def _start(self) -> None:
        with self._lock:
            if self._workers:
                return
            _tune_interpreter(self.switch_interval, self.gc_threshold)
            for i in range(self.threads):
                t = threading.Thread(target=self._run, name=f"channel-events-{i}", daemon=True)
                t.start()
                self._workers.append(t)

    def _run(self) -> None:
        while True:
            ids = self._queue.get()
            try:
                process(self.services, ids)
            except Exception:  # the events keep their rows; the worker's poller retries what was not claimed
                log.exception("channel event pump failed")
            finally:
                self._queue.task_done()

    def join(self) -> None:
        """Wait until everything submitted so far has been processed (tests, benchmarks)."""
        self._queue.join()
