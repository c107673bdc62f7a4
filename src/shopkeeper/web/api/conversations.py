"""The agent-side conversations API: the list with owner and waiting reason, a thread's messages,
assign / take over, agent replies, and handing back to the bot. Every endpoint needs an agent token
(`shopkeeper.web.auth.current_agent`). The live agent desk UI is a later issue; this is its state."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from shopkeeper import conversations, handoff
from shopkeeper.web.auth import AgentIdentity, current_agent
from shopkeeper.web.deps import get_session

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])


class ConversationOut(BaseModel):
    id: str
    customer_id: str
    channel: str
    owner: Literal["bot", "waiting", "agent"]
    agent_id: str | None
    handoff_reason: str | None
    waiting_since: datetime | None
    language: str | None
    last_inbound_at: datetime | None
    updated_at: datetime


class ConversationList(BaseModel):
    conversations: list[ConversationOut]


class MessageOut(BaseModel):
    id: str
    direction: Literal["in", "out"]
    sender: str
    agent_id: str | None
    text: str | None
    payload: str | None
    reply: dict[str, Any] | None
    status: str
    created_at: datetime


class MessageList(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]


class AssignIn(BaseModel):
    take_over: bool = Field(default=False, description="Take the thread even from the bot or a colleague.")


class AgentReplyIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


def _out(c: conversations.ConversationView) -> ConversationOut:
    return ConversationOut(
        id=c.id,
        customer_id=c.customer_id,
        channel=c.channel,
        owner=c.owner,
        agent_id=c.agent_id,
        handoff_reason=c.handoff_reason,
        waiting_since=c.waiting_since,
        language=c.language,
        last_inbound_at=c.last_inbound_at,
        updated_at=c.updated_at,
    )


def _message(m: conversations.MessageView) -> MessageOut:
    return MessageOut(
        id=m.id,
        direction=m.direction,
        sender=m.sender,
        agent_id=m.agent_id,
        text=m.text,
        payload=m.payload,
        reply=m.reply,
        status=m.status,
        created_at=m.created_at,
    )


@router.get(
    "",
    response_model=ConversationList,
    summary="List conversations",
    description="Filter by `owner` (bot, waiting, agent) or `mine=true`. Waiting ones come oldest "
    "first with their handoff reason — the order to pick them up in.",
)
def list_conversations(
    owner: Literal["bot", "waiting", "agent"] | None = None,
    mine: bool = False,
    limit: int = Query(default=100, ge=1, le=500),
    agent: AgentIdentity = Depends(current_agent),
    session: Session = Depends(get_session, scope="function"),
) -> ConversationList:
    rows = conversations.list_conversations(
        session, owner=owner, agent_id=agent.agent_id if mine else None, limit=limit
    )
    return ConversationList(conversations=[_out(c) for c in rows])


@router.get(
    "/{conversation_id}/messages",
    response_model=MessageList,
    summary="A conversation's messages",
    description="The thread with every inbound and outbound message and its delivery status.",
)
def get_messages(
    conversation_id: str,
    after: str | None = None,
    agent: AgentIdentity = Depends(current_agent),
    session: Session = Depends(get_session, scope="function"),
) -> MessageList:
    conv = conversations.get_conversation(session, conversation_id)
    return MessageList(
        conversation=_out(conv),
        messages=[_message(m) for m in conversations.history(session, conversation_id, after=after)],
    )


@router.post(
    "/{conversation_id}/assign",
    response_model=ConversationOut,
    summary="Assign to me / take over",
    description="Takes a waiting conversation. With `take_over` the agent also takes it from the "
    "bot or from a colleague. From then on the bot stays silent in it.",
)
def assign(
    conversation_id: str,
    body: AssignIn | None = None,
    agent: AgentIdentity = Depends(current_agent),
    session: Session = Depends(get_session, scope="function"),
) -> ConversationOut:
    take_over = bool(body and body.take_over)
    if take_over and agent.role == "agent":
        current = conversations.get_conversation(session, conversation_id)
        if current.owner == "agent" and current.agent_id != agent.agent_id:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail={"code": "forbidden", "message": "only a supervisor may take over a colleague's chat"},
            )
    return _out(conversations.assign_agent(session, conversation_id, agent.agent_id, take_over=take_over))


@router.post(
    "/{conversation_id}/messages",
    response_model=MessageOut,
    summary="Reply as the agent",
    description="Only the agent who owns the conversation may write; the reply goes to the "
    "shopper through the outbox on their channel.",
)
def reply(
    conversation_id: str,
    body: AgentReplyIn,
    agent: AgentIdentity = Depends(current_agent),
    session: Session = Depends(get_session, scope="function"),
) -> MessageOut:
    return _message(conversations.agent_reply(session, conversation_id, agent.agent_id, body.text))


@router.post(
    "/{conversation_id}/release",
    response_model=ConversationOut,
    summary="Hand back to the bot",
    description="The owning agent (or a supervisor/admin for anyone's) hands the conversation "
    "back; its handoff ticket closes.",
)
def release(
    conversation_id: str,
    agent: AgentIdentity = Depends(current_agent),
    session: Session = Depends(get_session, scope="function"),
) -> ConversationOut:
    agent_id = None if agent.role in ("supervisor", "admin") else agent.agent_id
    return _out(conversations.release_to_bot(session, conversation_id, agent_id))


@router.get(
    "/queue/waiting",
    response_model=list[dict[str, Any]],
    summary="The waiting queue",
    description="Open handoff tickets, oldest first, with reason and request time.",
)
def waiting(
    agent: AgentIdentity = Depends(current_agent), session: Session = Depends(get_session, scope="function")
) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "conversation_id": t.conversation_id,
            "customer_id": t.customer_id,
            "reason": t.reason,
            "note": t.note,
            "requested_at": t.requested_at.isoformat(),
        }
        for t in handoff.waiting_queue(session)
    ]
