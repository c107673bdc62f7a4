"""The web chat API (REST and WebSocket), binding for the widget and the CLI chat.

REST
- `POST /api/v1/chat/sessions` `{"visitor_id"?, "language"?}` → `{"visitor_id", "customer_id", "token",
  "conversation_id"}`: a new visitor id when none is given; `token` is the shopper token used as
  `Authorization: Bearer <token>` for chat, carts and orders.
- `POST /api/v1/chat/messages` (Bearer) `{"text"?, "payload"?, "message_id"?, "language"?}` →
  `{"conversation_id", "owner", "replies": [Reply JSON], "message_ids": [...]}`. A button press sends
  its payload as `payload` and its title as `text`. A repeated `message_id` returns the replies
  already given and changes nothing. `message_ids` (one per reply) let a client that also holds a
  socket drop the duplicate pushed there.
- `GET /api/v1/chat/messages?after=<message id>` (Bearer) → `{"messages": [{"id", "direction",
  "sender", "text", "reply", "created_at"}]}`.

WebSocket `GET /api/v1/chat/ws?token=<token>`
- client → `{"type": "message", "text", "payload", "message_id"}`;
- server → `{"type": "typing"}` while the bot works, `{"type": "reply", "message_id", "reply"}` for every
  outbound message of the conversation (bot or agent, and later ones such as the order
  confirmation after payment, pushed by the `channel.webchat` outbox sender through the in-process
  hub), and `{"type": "owner", "owner"}` when the conversation changes hands. Each reply is pushed
  once per message id even though both the socket handler and the outbox sender may offer it.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from shopkeeper import conversations, customers
from shopkeeper.bootstrap import Services
from shopkeeper.channels.messages import InboundMessage
from shopkeeper.kernel.clock import new_id
from shopkeeper.web.auth import current_shopper, issue_shopper_token, read_shopper_token
from shopkeeper.web.deps import get_services, get_session

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])
CHANNEL = "webchat"


class SessionIn(BaseModel):
    visitor_id: str | None = Field(default=None, max_length=120)
    language: str | None = Field(default=None, max_length=10)


class SessionOut(BaseModel):
    visitor_id: str
    customer_id: str
    token: str
    conversation_id: str


class MessageIn(BaseModel):
    text: str | None = Field(default=None, max_length=4000)
    payload: str | None = Field(default=None, max_length=500)
    message_id: str | None = Field(default=None, max_length=120)
    language: str | None = Field(default=None, max_length=10)


class TurnOut(BaseModel):
    conversation_id: str
    owner: Literal["bot", "waiting", "agent"]
    replies: list[dict[str, Any]]
    message_ids: list[str]


class HistoryMessage(BaseModel):
    id: str
    direction: Literal["in", "out"]
    sender: str
    text: str | None
    reply: dict[str, Any] | None
    created_at: datetime


class HistoryOut(BaseModel):
    messages: list[HistoryMessage]


def _hub(services: Services) -> conversations.WebchatHub:
    hub = services.extras.get("webchat_hub")
    if not isinstance(hub, conversations.WebchatHub):
        hub = conversations.WebchatHub()
        services.extras["webchat_hub"] = hub
        services.senders.setdefault("channel.webchat", hub.sender)
    return hub


@router.post(
    "/sessions",
    response_model=SessionOut,
    summary="Start or resume a web chat session",
    description="Resolves the visitor to a customer (creating both on first sight) and opens "
    "their web chat conversation. Returns the shopper token for every other call.",
)
def start_session(
    body: SessionIn, session: Session = Depends(get_session), services: Services = Depends(get_services)
) -> SessionOut:
    visitor_id = body.visitor_id or new_id("vis")
    customer = customers.resolve_customer(session, CHANNEL, visitor_id, language=body.language)
    conv = conversations.open_conversation(session, customer.id, CHANNEL, visitor_id, language=body.language)
    return SessionOut(
        visitor_id=visitor_id,
        customer_id=customer.id,
        token=issue_shopper_token(services.settings, customer.id),
        conversation_id=conv.id,
    )


def _visitor(services: Services, customer_id: str) -> str:
    known = _known_visitor(services, customer_id)
    if known is not None:
        return known
    with services.db.session() as session:  # may open the web chat: a writer
        conv = conversations.find_conversation(session, customer_id, CHANNEL)
        if conv is not None:
            return conv.external_id
        # a shopper known from another channel opens a web chat under their customer id
        conversations.open_conversation(session, customer_id, CHANNEL, customer_id)
        customers.link_identity(session, customer_id, CHANNEL, customer_id)
        return customer_id


VISITOR_CACHE_SIZE = 50_000


def _known_visitor(services: Services, customer_id: str) -> str | None:
    """The visitor id of an existing web chat, read without taking SQLite's one write lock (every
    message asks; only the first one of a shopper known from another channel has to write). A web
    chat's visitor id never changes, so it is remembered in-process after the first read."""
    cache: OrderedDict[str, str] = services.extras.setdefault("webchat_visitors", OrderedDict())
    known = cache.get(customer_id)
    if known is not None:
        return known
    with services.db.engine.connect() as conn:
        conn.info["write"] = False  # a plain BEGIN on SQLite (see kernel.db)
        try:
            with Session(bind=conn) as session:
                conv = conversations.find_conversation(session, customer_id, CHANNEL)
        finally:
            conn.info.pop("write", None)
    if conv is None:
        return None
    cache[customer_id] = conv.external_id
    if len(cache) > VISITOR_CACHE_SIZE:
        cache.popitem(last=False)
    return conv.external_id


def _inbound(visitor: str, body: MessageIn) -> InboundMessage:
    # message ids come from browsers: scope them to the visitor so two visitors' "1" never collide
    message_id = f"{visitor}:{body.message_id}" if body.message_id else new_id("wmi")
    return InboundMessage(
        channel=CHANNEL,
        sender_id=visitor,
        message_id=message_id,
        text=body.text or "",
        payload=body.payload or None,
        locale_hint=body.language,
    )


def _bodies(turn: conversations.Turn) -> list[dict[str, Any]]:
    """The replies' JSON bodies, serialised once when they were stored."""
    if len(turn.reply_bodies) == len(turn.replies):
        return turn.reply_bodies
    return [r.model_dump(mode="json") for r in turn.replies]


def _turn_response(turn: conversations.Turn) -> Response:
    """TurnOut as JSON, written straight from the stored bodies: they are JSON already, so
    FastAPI's validation and re-serialisation of the response model (every part of every reply,
    on every turn) would only repeat work. Same bytes as Starlette's JSONResponse."""
    content = {
        "conversation_id": turn.conversation_id,
        "owner": turn.owner,
        "replies": _bodies(turn),
        "message_ids": list(turn.reply_message_ids),
    }
    return Response(
        json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8"),
        media_type="application/json",
    )


@router.post(
    "/messages",
    response_model=TurnOut,
    summary="Send a shopper message or button press",
    description="Stores the message, lets the bot answer if it owns the conversation (never "
    "while an agent owns it), and returns the replies. A repeated `message_id` "
    "returns the replies already given, with no second effect.",
)
def post_message(
    body: MessageIn, customer_id: str = Depends(current_shopper), services: Services = Depends(get_services)
) -> Response:
    turn = conversations.receive_turn(services, _inbound(_visitor(services, customer_id), body))
    return _turn_response(turn)


@router.get(
    "/messages",
    response_model=HistoryOut,
    summary="Conversation history",
    description="Messages of the shopper's web chat in order; `after` (a message id) returns "
    "only newer ones, for polling clients.",
)
def get_messages(
    after: str | None = Query(default=None, max_length=60),
    customer_id: str = Depends(current_shopper),
    session: Session = Depends(get_session),
) -> HistoryOut:
    conv = conversations.find_conversation(session, customer_id, CHANNEL)
    if conv is None:
        return HistoryOut(messages=[])
    return HistoryOut(
        messages=[
            HistoryMessage(
                id=m.id,
                direction=m.direction,
                sender=m.sender,
                text=m.text,
                reply=m.reply,
                created_at=m.created_at,
            )
            for m in conversations.history(session, conv.id, after=after)
        ]
    )


@router.websocket("/ws")
async def chat_socket(websocket: WebSocket, token: str = Query(default="")) -> None:
    """Live web chat: see the module docstring for the frames."""
    services: Services = websocket.app.state.services
    customer_id = read_shopper_token(services.settings, token) if token else None
    if customer_id is None:
        await websocket.close(code=4401)
        return
    await websocket.accept()
    visitor = await run_in_threadpool(_visitor, services, customer_id)
    with services.db.read_session() as session:  # a read: never queue behind a writer on the loop
        conv = conversations.find_conversation(session, customer_id, CHANNEL)
    assert conv is not None
    hub = _hub(services)
    queue = hub.subscribe(conv.id)
    import asyncio

    async def pump() -> None:
        while True:
            frame = await queue.get()
            await websocket.send_json(frame)

    pusher = asyncio.create_task(pump())
    try:
        while True:
            data = await websocket.receive_json()
            if not isinstance(data, dict) or data.get("type") != "message":
                continue
            body = MessageIn.model_validate(
                {k: data.get(k) for k in ("text", "payload", "message_id", "language")}
            )
            await websocket.send_json({"type": "typing"})
            turn = await run_in_threadpool(conversations.receive_turn, services, _inbound(visitor, body))
            for message_id, reply_body in zip(turn.reply_message_ids, _bodies(turn), strict=True):
                hub.deliver_once(conv.id, message_id, reply_body)
    except WebSocketDisconnect:
        pass
    finally:
        pusher.cancel()
        hub.unsubscribe(conv.id, queue)


def hub_of(request: Request) -> conversations.WebchatHub:
    return _hub(request.app.state.services)
