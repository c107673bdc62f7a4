"""Outbox senders for messaging channels: the sending rules (windows, opt-out, templates), per-
recipient and per-number rate limits, rendering, the provider calls and the delivery records.
A reply that takes several provider messages resumes after the last part sent, never repeating one."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from shopkeeper.channels import services as ch
from shopkeeper.channels.messages import Reply
from shopkeeper.channels.model import decide_send
from shopkeeper.channels.port import Channel, OutboundRequest, SendOutcome
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.outbox import OutboxMessage, SendResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RatePolicy:
    """GCRA limits: one send per `interval` with bursts of `burst`, per recipient and per sender."""

    recipient_interval_s: float
    recipient_burst: int
    account_interval_s: float
    account_burst: int


# research §1.2-§1.5: WhatsApp pair rate ~1/6 s (bursts tolerated), 80 msg/s per number; Messenger
# and Instagram 300 calls/s per Page; Telegram ~1 msg/s per chat, ~30 msg/s overall; SMS long codes
# about 1 segment/s (a messaging service spreads over several numbers — raise it in settings).
RATE_POLICIES = {
    "whatsapp": RatePolicy(6.0, 10, 1 / 80, 80),
    "messenger": RatePolicy(0.2, 10, 1 / 300, 300),
    "instagram": RatePolicy(0.2, 10, 1 / 300, 300),
    "telegram": RatePolicy(1.0, 5, 1 / 30, 30),
    "sms": RatePolicy(1.0, 5, 1.0, 5),
    "twilio_whatsapp": RatePolicy(6.0, 10, 1 / 80, 80),
}
INLINE_WAIT_S = 0.5  # shorter waits are slept through; longer ones go back to the outbox


@dataclass
class Plan:
    requests: list[OutboundRequest]
    skip: set[int]
    refused: str | None = None


class ChannelSender:
    """The `Sender` for kind `channel.<name>`; holds no state between calls."""

    def __init__(self, services: Any, name: str, channel: Channel, policy: RatePolicy | None = None) -> None:
        self.services, self.name, self.channel = services, name, channel
        self.policy = policy or RATE_POLICIES.get(name, RatePolicy(1.0, 5, 0.01, 100))

    def __call__(self, msg: OutboxMessage) -> SendResult:
        payload = msg.payload
        if "answer_callback" in payload:  # Telegram spinner: no rules, no rate limit
            res = self.channel.post(self.channel.answer_callback(payload["answer_callback"]))  # type: ignore[attr-defined]
            return SendResult(ok=res.ok, error=res.error, permanent=res.permanent or res.ok is False)
        plan, wait = self._plan(msg)
        if plan.refused:
            return SendResult(ok=False, error=f"refused: {plan.refused}", permanent=True)
        if wait > INLINE_WAIT_S:
            self._uncount_attempt(msg.id)
            return SendResult(ok=False, error=f"rate limited: retry in {wait:.1f}s", retry_after_s=wait)
        if wait > 0:
            time.sleep(wait)
        return self._post_all(msg, plan)

    def _uncount_attempt(self, outbox_id: str) -> None:
        # A rate-limit deferral is not a failed attempt, but the outbox counts every non-ok result
        # towards giving up; pre-compensate. (Proposed: SendResult(deferred=True) in kernel.outbox.)
        with self.services.db.session() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == outbox_id)
                .values(attempts=OutboxMessage.attempts - 1)
            )

    def _plan(self, msg: OutboxMessage) -> tuple[Plan, float]:
        payload = msg.payload
        with self.services.db.session() as session:
            contact = ch.find_contact(session, self.name, msg.destination)
            reply = Reply.model_validate(payload["reply"]) if payload.get("reply") else None
            template = payload.get("template")
            decision = decide_send(
                self.name,
                last_inbound_at=contact.last_inbound_at if contact else None,
                now=utcnow(),
                sender=reply.sender if reply else "system",
                has_template=template is not None,
                opted_out=bool(contact and contact.opted_out),
                is_keyword_reply=payload.get("system") == "keyword",
            )
            if not decision.allowed:
                self._refuse(session, payload, decision.reason)
                return Plan([], set(), refused=decision.reason), 0.0
            ctx = ch.DbRenderContext(session, self.name, self.services.settings.base_url)
            if decision.mode == "template" or (template and reply is None):
                try:
                    requests = [self._template(session, msg.destination, template or {})]
                except LookupError as exc:
                    self._refuse(session, payload, str(exc))
                    return Plan([], set(), refused=f"template_missing: {exc}"), 0.0
            elif reply is not None:
                requests = self._render(reply, msg.destination, ctx, decision.mode)
            else:
                return Plan([], set(), refused="empty: neither a reply nor a template"), 0.0
            skip = ch.sent_parts(session, msg.id)
            todo = len(requests) - len([i for i in skip if i < len(requests)])
            p = self.policy
            account = payload.get("channel_account") or "default"
            wait = max(
                ch.take_rate_slot(
                    session,
                    f"{self.name}:to:{msg.destination}",
                    p.recipient_interval_s,
                    p.recipient_burst,
                    count=max(todo, 1),
                ),
                ch.take_rate_slot(
                    session,
                    f"{self.name}:from:{account}",
                    p.account_interval_s,
                    p.account_burst,
                    count=max(todo, 1),
                ),
            )
        return Plan(requests, skip), wait

    def _render(self, reply: Reply, to: str, ctx: ch.DbRenderContext, mode: str) -> list[OutboundRequest]:
        if self.name == "twilio_whatsapp":
            return self.channel.render(reply, to, ctx, mode=mode, channel=self.name)  # type: ignore[call-arg]
        return self.channel.render(reply, to, ctx, mode=mode)

    def _template(self, session: Any, to: str, spec: dict[str, Any]) -> OutboundRequest:
        name, language, params = (
            spec.get("name", ""),
            spec.get("language", "en"),
            list(spec.get("params", [])),
        )
        row = ch.find_template(session, self.name, name, language)
        if row is None:
            raise LookupError(f"template {name!r} ({language}) is not registered for {self.name}")
        if self.name == "twilio_whatsapp":
            variables = json.dumps({str(i): v for i, v in enumerate(params, 1)})
            return self.channel.content(to, row.provider_ref or "", variables, self.name)  # type: ignore[attr-defined]
        return self.channel.template(to, row.name, row.language, params)  # type: ignore[attr-defined]

    def _refuse(self, session: Any, payload: dict[str, Any], reason: str) -> None:
        from shopkeeper import conversations

        log.warning("%s send refused: %s", self.name, reason)
        if payload.get("message_id"):
            conversations.update_status(session, payload["message_id"], "failed")

    def _post_all(self, msg: OutboxMessage, plan: Plan) -> SendResult:
        first_id: str | None = None
        for index, request in enumerate(plan.requests):
            if index in plan.skip:
                continue
            res: SendOutcome = self.channel.post(request)
            if not res.ok:
                if res.permanent:
                    with self.services.db.session() as session:
                        self._refuse(session, msg.payload, res.error or "failed")
                        if "403" in (res.error or "") and self.name == "telegram":
                            ch.mark_unreachable(session, self.name, msg.destination)  # bot blocked
                        if "21610" in (res.error or ""):  # Twilio: the number texted STOP to the carrier
                            ch.set_opted_out(session, self.name, msg.destination, True)
                return SendResult(
                    ok=False, error=res.error, retry_after_s=res.retry_after_s, permanent=res.permanent
                )
            first_id = first_id or res.provider_message_id
            self._record(msg, index, res.provider_message_id)
        return SendResult(ok=True, provider_message_id=first_id)

    def _record(self, msg: OutboxMessage, index: int, provider_id: str | None) -> None:
        from shopkeeper import conversations

        message_id = msg.payload.get("message_id")
        with self.services.db.session() as session:
            ch.record_delivery(session, msg.id, index, self.name, msg.destination, provider_id, message_id)
            if message_id and provider_id and index == 0:
                conversations.mark_provider_id(session, message_id, provider_id)
            elif message_id:
                conversations.update_status(session, message_id, "sent")
