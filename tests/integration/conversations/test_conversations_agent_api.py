"""The agent-side API: the waiting list with reasons, assign, reply, release back to the bot."""

from __future__ import annotations

from chat_helpers import Say, all_texts
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopkeeper.bootstrap import Services
from shopkeeper.kernel.outbox import OutboxMessage
from shopkeeper.web.auth import issue_agent_token


def agent_headers(services: Services, agent_id: str, role: str = "agent") -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_agent_token(services.settings, agent_id, role)}"}


def test_agent_picks_up_a_waiting_chat_replies_and_hands_it_back(
    chat_client: TestClient, chat_services: Services, shopper: tuple[dict[str, str], Say]
) -> None:
    session, say = shopper
    conv_id = session["conversation_id"]
    say("I want to talk to a human")
    anna = agent_headers(chat_services, "agt_anna")

    waiting = chat_client.get("/api/v1/conversations?owner=waiting", headers=anna).json()["conversations"]
    assert [(c["id"], c["handoff_reason"]) for c in waiting] == [(conv_id, "asked")]
    assert chat_client.get("/api/v1/conversations/queue/waiting", headers=anna).json()[0]["reason"] == "asked"

    taken = chat_client.post(f"/api/v1/conversations/{conv_id}/assign", headers=anna, json={}).json()
    assert (taken["owner"], taken["agent_id"]) == ("agent", "agt_anna")

    sent = chat_client.post(
        f"/api/v1/conversations/{conv_id}/messages",
        headers=anna,
        json={"text": "Hi, Anna here — how can I help?"},
    )
    assert sent.status_code == 200 and sent.json()["sender"] == "agent"
    with chat_services.db.session() as s:
        out = s.scalar(
            select(OutboxMessage).where(OutboxMessage.payload["message_id"].as_string() == sent.json()["id"])
        )
    assert out is not None and out.kind == "channel.webchat"

    assert say("thanks")["replies"] == []  # the agent owns it: the bot keeps quiet
    back = chat_client.post(f"/api/v1/conversations/{conv_id}/release", headers=anna).json()
    assert back["owner"] == "bot"
    assert all_texts(say("thank you"))  # the bot answers again


def test_other_agent_can_neither_write_in_nor_take_over_a_colleagues_chat(
    chat_client: TestClient, chat_services: Services, shopper: tuple[dict[str, str], Say]
) -> None:
    session, say = shopper
    conv_id = session["conversation_id"]
    say("I want to talk to a human")
    anna, ben = agent_headers(chat_services, "agt_anna"), agent_headers(chat_services, "agt_ben")
    chat_client.post(f"/api/v1/conversations/{conv_id}/assign", headers=anna, json={})
    assert (
        chat_client.post(
            f"/api/v1/conversations/{conv_id}/messages", headers=ben, json={"text": "hello"}
        ).status_code
        == 403
    )
    assert (
        chat_client.post(
            f"/api/v1/conversations/{conv_id}/assign", headers=ben, json={"take_over": True}
        ).status_code
        == 403
    )
    boss = agent_headers(chat_services, "agt_boss", "supervisor")
    moved = chat_client.post(
        f"/api/v1/conversations/{conv_id}/assign", headers=boss, json={"take_over": True}
    )
    assert moved.json()["agent_id"] == "agt_boss"


def test_conversations_api_refuses_shoppers_and_strangers(
    chat_client: TestClient, shopper: tuple[dict[str, str], Say]
) -> None:
    session, _ = shopper
    assert chat_client.get("/api/v1/conversations").status_code == 401
    shopper_auth = {"Authorization": session["authorization"]}
    assert chat_client.get("/api/v1/conversations", headers=shopper_auth).status_code == 401
