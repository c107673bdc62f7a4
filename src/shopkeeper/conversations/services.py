"""Conversation use cases: take a shopper's message (deduped), route it to the bot only when the bot
owns the thread, store every reply and queue it in the outbox in the same transaction; owner changes.
"""

from __future__ import annotations

import copy
import json
from contextlib import nullcontext
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from shopkeeper import customers, handoff
from shopkeeper.channels.messages import InboundMessage, Reply
from shopkeeper.conversations.errors import ConversationNotFound, IllegalOwnerChange, NotConversationOwner
from shopkeeper.conversations.events import MessageStored, OwnerChanged
from shopkeeper.conversations.model import (
    AGENT,
    BOT,
    WAITING,
    ConversationView,
    MessageView,
    Turn,
    bot_may_reply,
    status_moves_forward,
)
from shopkeeper.conversations.store import ConversationRow, MessageRow
from shopkeeper.kernel import outbox
from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.kernel.db import core_connection, record_event

# channels whose replies are handed over in the same HTTP response (REST) count as sent at once
SYNCHRONOUS_CHANNELS = frozenset({"webchat", "cli"})

# -- statements of a chat turn, built once (no statement building or cache key per call) ---------
_CONVERSATIONS = cast(Table, ConversationRow.__table__)
_MESSAGES = cast(Table, MessageRow.__table__)
_FIND_THREAD = select(ConversationRow).where(
    ConversationRow.customer_id == bindparam("customer_id"),
    ConversationRow.channel == bindparam("channel"),
    ConversationRow.channel_account == bindparam("account"),
)
_PEEK_THREAD = select(_CONVERSATIONS.c.owner, _CONVERSATIONS.c.language, _CONVERSATIONS.c.state).where(
    _CONVERSATIONS.c.channel == bindparam("channel"),
    _CONVERSATIONS.c.channel_account == bindparam("account"),
    _CONVERSATIONS.c.external_id == bindparam("external_id"),
)
_INSERT_INBOUND = {
    name: dialect_insert(_MESSAGES)
    .on_conflict_do_nothing(index_elements=[_MESSAGES.c.inbound_key])
    .returning(_MESSAGES.c.id)
    for name, dialect_insert in (("sqlite", sqlite_insert), ("postgresql", pg_insert))
}
_INSERT_MESSAGES = insert(_MESSAGES)
_TOUCH_THREAD = (
    update(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.id == bindparam("b_id"))
    .values(last_inbound_at=bindparam("b_at"), updated_at=bindparam("b_at"))
)
_SAVE_THREAD = _TOUCH_THREAD.values(state=bindparam("b_state"), language=bindparam("b_language"))


def copy_state(state: dict[str, Any] | None) -> dict[str, Any]:
    """A deep copy of a JSON dialogue state (a JSON round trip: several times cheaper than
    copy.deepcopy on the ~100 objects of a state holding search results)."""
    if not state:
        return {}
    copied: dict[str, Any] = json.loads(json.dumps(state))
    return copied


def _conv_view(row: ConversationRow) -> ConversationView:
    return ConversationView(
        id=row.id,
        customer_id=row.customer_id,
        channel=row.channel,
        channel_account=row.channel_account,
        external_id=row.external_id,
        owner=row.owner,
        agent_id=row.agent_id,
        handoff_reason=row.handoff_reason,
        waiting_since=row.waiting_since,
        language=row.language,
        last_inbound_at=row.last_inbound_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        state=dict(row.state or {}),
    )


def _msg_view(row: MessageRow) -> MessageView:
    return MessageView(
        id=row.id,
        conversation_id=row.conversation_id,
        direction="in" if row.direction == "in" else "out",
        sender=row.sender,
        text=row.text,
        payload=row.payload,
        reply=row.reply,
        status=row.status,
        agent_id=row.agent_id,
        created_at=row.created_at,
    )


# -- threads ------------------------------------------------------------------------------------
def _row(session: Session, conversation_id: str) -> ConversationRow:
    row = session.get(ConversationRow, conversation_id)
    if row is None:
        raise ConversationNotFound(conversation_id)
    return row


def get_conversation(session: Session, conversation_id: str) -> ConversationView:
    return _conv_view(_row(session, conversation_id))


def find_conversation(
    session: Session, customer_id: str, channel: str, channel_account: str = "default"
) -> ConversationView | None:
    row = _find_row(session, customer_id, channel, channel_account)
    return _conv_view(row) if row else None


def _find_row(session: Session, customer_id: str, channel: str, account: str) -> ConversationRow | None:
    return session.scalar(_FIND_THREAD, {"customer_id": customer_id, "channel": channel, "account": account})


def _open_row(
    session: Session, customer_id: str, channel: str, external_id: str, account: str, language: str | None
) -> ConversationRow:
    row = _find_row(session, customer_id, channel, account)
    if row is not None:
        return row
    now = utcnow()
    row = ConversationRow(
        id=new_id("cnv"),
        customer_id=customer_id,
        channel=channel,
        channel_account=account,
        external_id=external_id,
        owner=BOT,
        state={},
        language=language,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():  # two first messages at once must make one thread
            session.add(row)
    except IntegrityError:
        found = _find_row(session, customer_id, channel, account)
        if found is None:
            raise
        return found
    return row


def open_conversation(
    session: Session,
    customer_id: str,
    channel: str,
    external_id: str,
    channel_account: str = "default",
    language: str | None = None,
) -> ConversationView:
    """The customer's thread on this channel account, created on first contact."""
    return _conv_view(_open_row(session, customer_id, channel, external_id, channel_account, language))


def list_conversations(
    session: Session, owner: str | None = None, agent_id: str | None = None, limit: int = 100
) -> list[ConversationView]:
    """Threads for the agent desk: waiting ones oldest first, the others most recent first."""
    q = select(ConversationRow)
    if owner:
        q = q.where(ConversationRow.owner == owner)
    if agent_id:
        q = q.where(ConversationRow.agent_id == agent_id)
    if owner == WAITING:
        q = q.order_by(ConversationRow.waiting_since)
    else:
        q = q.order_by(ConversationRow.updated_at.desc())
    return [_conv_view(r) for r in session.scalars(q.limit(limit))]


def history(
    session: Session, conversation_id: str, after: str | None = None, limit: int = 500
) -> list[MessageView]:
    """Messages of the thread in order; `after` is a message id (ids sort by time)."""
    q = select(MessageRow).where(MessageRow.conversation_id == conversation_id)
    if after:
        q = q.where(MessageRow.id > after)
    return [_msg_view(r) for r in session.scalars(q.order_by(MessageRow.id).limit(limit))]


# -- outbound -----------------------------------------------------------------------------------
def _store_replies(
    session: Session,
    conv: ConversationRow,
    replies: list[Reply],
    in_reply_to: str | None,
    status: str = "queued",
    *,
    delivered: bool = False,
) -> list[dict[str, Any]]:
    """Store the replies and queue each in the outbox: one Core INSERT (an executemany for
    several) per table, no unit of work. Returns the stored message rows' values, whose "reply"
    is each reply's JSON body."""
    if not replies:
        return []
    now = utcnow()
    messages: list[dict[str, Any]] = []
    queued: list[dict[str, Any]] = []
    kind = f"channel.{conv.channel}"
    for reply in replies:
        body = reply.model_dump(mode="json")
        message_id = new_id("msg")
        messages.append(
            {
                "id": message_id,
                "conversation_id": conv.id,
                "direction": "out",
                "sender": reply.sender,
                "agent_id": reply.agent_id,
                "text": _plain_text(reply),
                "payload": None,
                "reply": body,
                "inbound_key": None,
                "in_reply_to": in_reply_to,
                "provider_message_id": None,
                "status": status,
                "status_at": now,
                "created_at": now,
            }
        )
        # no dedupe key: the message id is new, so the outbox needs no look-up before the insert.
        # delivered: the caller pushes it to the hub once this commits (see receive_turn): the
        # worker would only repeat that, with two more write transactions per reply
        queued.append(
            outbox.outbox_row(
                kind,
                conv.external_id,
                {
                    "conversation_id": conv.id,
                    "message_id": message_id,
                    "channel_account": conv.channel_account,
                    "reply": body,
                },
                now,
                sent_as=message_id if delivered else None,
            )
        )
    # flushed first: a thread opened in this transaction must exist before its messages
    core_connection(session).execute(_INSERT_MESSAGES, messages)
    outbox.enqueue_rows(session, queued)
    for reply, message in zip(replies, messages, strict=True):
        record_event(session, MessageStored(conv.id, message["id"], "out", reply.sender))
    return messages


def _message_view(values: dict[str, Any]) -> MessageView:
    return MessageView(
        id=values["id"],
        conversation_id=values["conversation_id"],
        direction="out",
        sender=values["sender"],
        text=values["text"],
        payload=values["payload"],
        reply=values["reply"],
        status=values["status"],
        agent_id=values["agent_id"],
        created_at=values["created_at"],
    )


def _plain_text(reply: Reply) -> str | None:
    texts = [getattr(p, "text", None) for p in reply.parts]
    joined = "\n".join(t for t in texts if isinstance(t, str) and t)
    return joined[:4000] or None


def send_to_customer(session: Session, conversation_id: str, reply: Reply) -> MessageView:
    """A proactive, agent or order-update message into the thread, delivered through the outbox."""
    conv = _row(session, conversation_id)
    (stored,) = _store_replies(session, conv, [reply], None)
    conv.updated_at = utcnow()
    session.flush()
    return _message_view(stored)


def update_status(session: Session, message_id: str, status: str, *, by_provider_id: bool = False) -> bool:
    """Apply a delivery receipt; statuses only move forward (queued → sent → delivered → read | failed)."""
    col = MessageRow.provider_message_id if by_provider_id else MessageRow.id
    row = session.scalar(select(MessageRow).where(col == message_id))
    if row is None or not status_moves_forward(row.status, status):
        return False
    row.status, row.status_at = status, utcnow()
    return True


def mark_provider_id(session: Session, message_id: str, provider_message_id: str) -> None:
    row = session.get(MessageRow, message_id)
    if row is not None:
        row.provider_message_id = provider_message_id
        if status_moves_forward(row.status, "sent"):
            row.status, row.status_at = "sent", utcnow()


# -- inbound ------------------------------------------------------------------------------------
def _replies_to(session: Session, inbound_row_id: str) -> tuple[list[Reply], list[str], list[dict[str, Any]]]:
    rows = session.scalars(
        select(MessageRow).where(MessageRow.in_reply_to == inbound_row_id).order_by(MessageRow.id)
    ).all()
    stored = [r for r in rows if r.reply]
    return (
        [Reply.model_validate(r.reply) for r in stored],
        [r.id for r in stored],
        [dict(r.reply or {}) for r in stored],
    )


def _replay(session: Session, key: str) -> Turn | None:
    seen = session.scalar(select(MessageRow).where(MessageRow.inbound_key == key))
    if seen is None:
        return None
    conv = _row(session, seen.conversation_id)
    replies, ids, bodies = _replies_to(session, seen.id)
    return Turn(conv.id, conv.owner, replies, ids, replayed=True, reply_bodies=bodies)


def _peek_state(services: Any, inbound: InboundMessage) -> dict[str, Any] | None:
    """The thread's dialogue state read without the write lock (None: new thread or not the bot's)."""
    with services.db.engine.connect() as conn:
        conn.info["write"] = False  # a plain BEGIN: readers never wait on SQLite's one writer
        try:
            with conn.begin():
                row = conn.execute(
                    _PEEK_THREAD,
                    {
                        "channel": inbound.channel,
                        "account": inbound.channel_account,
                        "external_id": inbound.sender_id,
                    },
                ).first()
        finally:
            conn.info.pop("write", None)
    if row is None or not bot_may_reply(row.owner):
        return None
    state: dict[str, Any] = dict(row.state or {})  # decoded for this read alone: nobody shares it
    state.setdefault("lang", row.language)
    return state


def _ahead(services: Any, inbound: InboundMessage) -> Any:
    from shopkeeper import bots

    if inbound.payload or not inbound.text:
        return None
    state = _peek_state(services, inbound)
    if state is None:
        return None
    return bots.understand_ahead(services, inbound, state, state.get("lang"))


def receive_turn(services: Any, inbound: InboundMessage) -> Turn:
    """One shopper message, one transaction: dedupe, customer, thread, store, bot (if it owns the
    thread), replies stored and queued. A replayed message id returns the stored replies unchanged.
    The NLU reads a typed message before the transaction opens (CPU work outside the write lock)."""
    key = f"{inbound.channel}:{inbound.message_id}"
    wait_ready = getattr(services, "wait_ready", None)
    if wait_ready is not None:
        wait_ready()  # models still loading behind a served page (`shopkeeper demo`): wait for them
    ahead = _ahead(services, inbound)
    hub = _live_hub(services, inbound.channel)
    lock = services.db.writer_lock
    with lock.hold() if lock is not None else nullcontext():
        turn = _receive_in_transaction(services, inbound, key, ahead, hub is not None)
    if hub is not None and not turn.replayed and hub.may_deliver(turn.conversation_id):
        for message_id, body in zip(turn.reply_message_ids, turn.reply_bodies, strict=True):
            hub.deliver_once(turn.conversation_id, message_id, body)
    return turn


def _live_hub(services: Any, channel: str) -> Any:
    """The in-process web chat hub when it is this channel's outbox sender (it then gets the
    turn's replies straight after commit instead of through the worker)."""
    from shopkeeper.conversations.hub import WebchatHub

    hub = services.extras.get("webchat_hub")
    if channel != "webchat" or not isinstance(hub, WebchatHub):
        return None
    sender = services.senders.get("channel.webchat")
    return hub if getattr(sender, "__self__", None) is hub else None


def _receive_in_transaction(
    services: Any, inbound: InboundMessage, key: str, ahead: Any, delivered: bool
) -> Turn:
    with services.db.session() as session:
        customer = customers.resolve_customer(
            session, inbound.channel, inbound.sender_id, inbound.profile_name
        )
        conv = _open_row(
            session,
            customer.id,
            inbound.channel,
            inbound.sender_id,
            inbound.channel_account,
            inbound.locale_hint or customer.language,
        )
        now = utcnow()
        message_id = _store_inbound(session, conv.id, inbound, key, now)
        if message_id is None:  # seen before (a retry, or the same message racing in elsewhere)
            replayed = _replay(session, key)
            if replayed is None:
                raise RuntimeError(f"inbound {key} conflicted but is not stored")
            return replayed
        record_event(session, MessageStored(conv.id, message_id, "in", "shopper"))
        replies: list[Reply] = []
        if bot_may_reply(conv.owner):
            replies, state, language = _run_bot(services, session, conv, customer, inbound, ahead)
            _save_thread(session, conv, now, state, language)
        else:
            _save_thread(session, conv, now)
        status = "sent" if inbound.channel in SYNCHRONOUS_CHANNELS else "queued"
        stored = _store_replies(session, conv, replies, message_id, status, delivered=delivered)
        return Turn(
            conv.id,
            conv.owner,
            replies,
            [m["id"] for m in stored],
            reply_bodies=[m["reply"] for m in stored],
        )


def _save_thread(
    session: Session,
    conv: ConversationRow,
    now: datetime,
    state: dict[str, Any] | None = None,
    language: str | None = None,
) -> None:
    """One Core UPDATE of the thread after the bot: its timestamps and (bot turns) its new state
    and language. The row object is told the same values as already committed, so the unit of
    work writes none of them again (it still writes what else changed, e.g. a handoff's owner)."""
    values: dict[str, Any] = {"last_inbound_at": now, "updated_at": now}
    connection = core_connection(session)
    if state is None:
        connection.execute(_TOUCH_THREAD, {"b_id": conv.id, "b_at": now})
    else:
        values |= {"state": state, "language": language}
        connection.execute(
            _SAVE_THREAD, {"b_id": conv.id, "b_at": now, "b_state": state, "b_language": language}
        )
    for key, value in values.items():
        set_committed_value(conv, key, value)


def _store_inbound(
    session: Session, conversation_id: str, inbound: InboundMessage, key: str, now: datetime
) -> str | None:
    """The shopper's message stored once: one INSERT … ON CONFLICT DO NOTHING on its key (no
    read first, no savepoint), so a retry costs nothing extra and a race cannot store it twice.
    None when the key was already stored."""
    message_id = new_id("msg")
    # flushed first: a thread opened in this transaction must exist before its message
    connection = core_connection(session)
    stored = connection.execute(
        _INSERT_INBOUND[connection.dialect.name],
        {
            "id": message_id,
            "conversation_id": conversation_id,
            "direction": "in",
            "sender": "shopper",
            "agent_id": None,
            "text": inbound.text[:4000] if inbound.text else None,
            "payload": (inbound.payload or None),
            "reply": None,
            "inbound_key": key,
            "in_reply_to": None,
            "provider_message_id": inbound.message_id,
            "status": "received",
            "status_at": now,
            "created_at": now,
        },
    ).scalar()
    return message_id if stored is not None else None


def _run_bot(
    services: Any,
    session: Session,
    conv: ConversationRow,
    customer: customers.Customer,
    inbound: InboundMessage,
    ahead: Any = None,
) -> tuple[list[Reply], dict[str, Any], str | None]:
    """The bot's replies, the thread's new state and language (the caller writes both)."""
    from shopkeeper import bots

    turn = bots.respond(
        services,
        session,
        bots.BotContext(
            conversation_id=conv.id,
            customer_id=customer.id,
            channel=conv.channel,
            language=conv.language,
            state=copy_state(conv.state),
            customer_name=customer.name,
        ),
        inbound,
        ahead,
    )
    language = conv.language
    if turn.language and turn.language != conv.language:
        language = turn.language
        customers.resolve_customer(session, inbound.channel, inbound.sender_id, None, turn.language)
    if turn.handoff_reason:
        _to_waiting(session, conv, turn.handoff_reason, turn.handoff_note)
    return turn.replies, turn.state, language


def receive(services: Any, inbound: InboundMessage) -> list[Reply]:
    """The contract entry point: the replies to one inbound message (see receive_turn)."""
    return receive_turn(services, inbound).replies


# -- who owns the thread ------------------------------------------------------------------------
def _to_waiting(session: Session, conv: ConversationRow, reason: str, note: str | None) -> None:
    if conv.owner == AGENT:
        return  # already with a person
    handoff.open_ticket(session, conv.id, conv.customer_id, reason, note)
    if conv.owner != WAITING:
        conv.owner, conv.handoff_reason, conv.waiting_since = WAITING, reason, utcnow()
        record_event(session, OwnerChanged(conv.id, conv.customer_id, WAITING, None, reason))


def request_handoff(
    session: Session, conversation_id: str, reason: str, note: str | None = None
) -> ConversationView:
    """Queue the thread for an agent; the bot stays silent from now on."""
    conv = _row(session, conversation_id)
    _to_waiting(session, conv, reason, note)
    session.flush()
    return _conv_view(conv)


def assign_agent(
    session: Session, conversation_id: str, agent_id: str, *, take_over: bool = False
) -> ConversationView:
    """Give the thread to an agent: from the queue, or (take_over) straight from the bot or a colleague."""
    conv = _row(session, conversation_id)
    if conv.owner == AGENT and conv.agent_id != agent_id and not take_over:
        raise NotConversationOwner(f"{conversation_id} is assigned to another agent")
    if conv.owner == BOT and not take_over:
        raise IllegalOwnerChange(f"{conversation_id} is with the bot; take it over explicitly")
    handoff.assign_ticket(session, conv.id, conv.customer_id, agent_id)
    conv.owner, conv.agent_id, conv.updated_at = AGENT, agent_id, utcnow()
    record_event(session, OwnerChanged(conv.id, conv.customer_id, AGENT, agent_id, conv.handoff_reason))
    session.flush()
    return _conv_view(conv)


def release_to_bot(session: Session, conversation_id: str, agent_id: str | None = None) -> ConversationView:
    """Hand the thread back to the bot (by its agent, or by a supervisor passing agent_id=None)."""
    conv = _row(session, conversation_id)
    if agent_id is not None and conv.owner == AGENT and conv.agent_id != agent_id:
        raise NotConversationOwner(f"{conversation_id} is assigned to another agent")
    handoff.close_ticket(session, conv.id)
    conv.owner, conv.agent_id, conv.handoff_reason, conv.waiting_since = BOT, None, None, None
    state = copy.deepcopy(conv.state or {})
    state["oos"] = 0
    conv.state, conv.updated_at = state, utcnow()
    record_event(session, OwnerChanged(conv.id, conv.customer_id, BOT, None, None))
    session.flush()
    return _conv_view(conv)


def agent_reply(session: Session, conversation_id: str, agent_id: str, text: str) -> MessageView:
    """An agent speaks: only the agent who owns the thread may."""
    conv = _row(session, conversation_id)
    if conv.owner != AGENT or conv.agent_id != agent_id:
        raise NotConversationOwner(f"agent {agent_id} does not own {conversation_id}")
    reply = Reply(language=conv.language or "en", sender="agent", agent_id=agent_id).text(text)
    return send_to_customer(session, conversation_id, reply)
