"""Messenger and Instagram Messaging adapters: `messaging[]` webhooks (messages, quick replies,
postbacks, echoes, delivery/read watermarks) and Send API bodies — generic-template carousels,
button templates, quick replies; HUMAN_AGENT tag when an agent replies past 24 h (research §1.3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx2

from shopkeeper.adapters.channels import meta
from shopkeeper.adapters.channels.http import ProviderClient, outcome
from shopkeeper.channels.messages import (
    Attachment,
    Button,
    ButtonsPart,
    Carousel,
    ImagePart,
    InboundMessage,
    Location,
    Part,
    PaymentRequest,
    ProductCard,
    QuickReplies,
    Reply,
    TextPart,
)
from shopkeeper.channels.model import split_text, truncate, truncate_bytes
from shopkeeper.channels.port import (
    Capabilities,
    Ignored,
    OutboundRequest,
    Parsed,
    RenderContext,
    SendOutcome,
    StatusUpdate,
    WebhookRequest,
)
from shopkeeper.channels.rendering import (
    MORE_TITLE,
    card_subtitle,
    hint,
    numbered,
    part_body,
    part_buttons,
    payment_title,
)


def _ms(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    except (TypeError, ValueError):
        return None


class MessengerChannel:
    name = "messenger"
    object_name = "page"
    capabilities = Capabilities(
        max_text=2000,
        buttons=3,
        button_title=20,
        quick_replies=13,
        carousel_cards=10,
        images=True,
        url_buttons=True,
        callback_bytes=1000,
    )

    def __init__(
        self,
        *,
        app_secret: str,
        verify_token: str,
        page_token: str,
        api_base: str,
        account_id: str | None = None,
        transport: httpx2.BaseTransport | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.app_secret, self.verify_token, self.account_id = app_secret, verify_token, account_id
        self.client = ProviderClient(
            api_base,
            headers={"Authorization": f"Bearer {page_token}"},
            transport=transport,
            timeout_s=timeout_s,
        )

    @property
    def send_path(self) -> str:
        return f"{self.account_id}/messages" if self.account_id else "me/messages"

    # -- inbound -----------------------------------------------------------------------------------
    def handshake(self, query: dict[str, str]) -> str | None:
        return meta.handshake(query, self.verify_token)

    def verify(self, request: WebhookRequest) -> bool:
        return meta.verify_signature(
            request.body, request.headers.get("x-hub-signature-256"), self.app_secret
        )

    def parse(self, request: WebhookRequest) -> list[Parsed]:
        body = json.loads(request.body)
        if body.get("object") != self.object_name:
            return []
        out: list[Parsed] = []
        for entry in body.get("entry", []):
            account = str(entry.get("id", "default"))
            for ev in entry.get("messaging", []):
                out += self._event(ev, account)
        return out

    def _event(self, ev: dict[str, Any], account: str) -> list[Parsed]:
        sender = str(ev.get("sender", {}).get("id", ""))
        at = _ms(ev.get("timestamp"))
        if "message" in ev:
            msg = ev["message"]
            if msg.get("is_echo"):  # sent by the Page (us or a human in Business Suite): never to the bot
                return [Ignored(self.name, f"echo:{msg.get('mid')}", "page echo", ev)]
            return [self._message(msg, sender, account, at, ev)]
        if "postback" in ev:
            pb = ev["postback"]
            mid = pb.get("mid") or f"pb:{sender}:{ev.get('timestamp')}"
            return [
                InboundMessage(
                    channel=self.name,
                    channel_account=account,
                    sender_id=sender,
                    message_id=mid,
                    text=pb.get("title", ""),
                    payload=pb.get("payload"),
                    sent_at=at,
                    raw=ev,
                )
            ]
        recipient = sender  # for receipts the "sender" is the shopper who received our message
        if "delivery" in ev:
            d = ev["delivery"]
            mids = d.get("mids") or []
            if mids:
                return [
                    StatusUpdate(
                        self.name,
                        "delivered",
                        provider_message_id=m,
                        recipient_id=recipient,
                        at=at,
                        event_id=f"{m}:delivered",
                        raw=ev,
                    )
                    for m in mids
                ]
            wm = _ms(d.get("watermark"))
            return [
                StatusUpdate(
                    self.name,
                    "delivered",
                    recipient_id=recipient,
                    watermark=wm,
                    at=at,
                    event_id=f"wm:{recipient}:delivered:{d.get('watermark')}",
                    raw=ev,
                )
            ]
        if "read" in ev:
            r = ev["read"]
            if r.get("mid"):  # Instagram messaging_seen names the message
                return [
                    StatusUpdate(
                        self.name,
                        "read",
                        provider_message_id=r["mid"],
                        recipient_id=recipient,
                        at=at,
                        event_id=f"{r['mid']}:read",
                        raw=ev,
                    )
                ]
            return [
                StatusUpdate(
                    self.name,
                    "read",
                    recipient_id=recipient,
                    watermark=_ms(r.get("watermark")),
                    at=at,
                    event_id=f"wm:{recipient}:read:{r.get('watermark')}",
                    raw=ev,
                )
            ]
        kind = next((k for k in ev if k not in ("sender", "recipient", "timestamp")), "unknown")
        return [
            Ignored(self.name, f"{kind}:{sender}:{ev.get('timestamp')}", f"unsupported event {kind!r}", ev)
        ]

    def _message(
        self, msg: dict[str, Any], sender: str, account: str, at: datetime | None, ev: dict[str, Any]
    ) -> InboundMessage:
        payload = (msg.get("quick_reply") or {}).get("payload")  # quick reply first: it also has text
        attachments: list[Attachment] = []
        location = None
        for att in msg.get("attachments", []):
            kind, data = att.get("type"), att.get("payload") or {}
            if kind == "location" and "coordinates" in data:
                c = data["coordinates"]
                location = Location(
                    latitude=c.get("lat", 0.0), longitude=c.get("long", 0.0), name=att.get("title")
                )
            elif kind in ("image", "audio", "video", "file"):
                attachments.append(Attachment(kind=kind, url=data.get("url")))
        return InboundMessage(
            channel=self.name,
            channel_account=account,
            sender_id=sender,
            message_id=msg.get("mid", ""),
            text=msg.get("text", ""),
            payload=payload,
            sent_at=at,
            location=location,
            attachments=attachments,
            raw=ev,
        )

    # -- outbound ----------------------------------------------------------------------------------
    def render(
        self, reply: Reply, to: str, ctx: RenderContext, *, mode: str = "free"
    ) -> list[OutboundRequest]:
        envelope: dict[str, Any] = {"recipient": {"id": to}, "messaging_type": "RESPONSE"}
        if mode == "human_agent_tag":
            envelope = {"recipient": {"id": to}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        messages: list[dict[str, Any]] = []
        for part in reply.parts:
            messages += self._part(part, to, ctx, reply.language)
        return [OutboundRequest(path=self.send_path, json={**envelope, "message": m}) for m in messages]

    def _text(self, text: str) -> list[dict[str, Any]]:
        return [{"text": t} for t in split_text(text, self.capabilities.max_text)]

    def _fit(self, text: str) -> str:
        return truncate(text, self.capabilities.max_text)

    def _button(self, b: Button, ctx: RenderContext) -> dict[str, Any]:
        if b.url:
            return {"type": "web_url", "title": truncate(b.title, 20), "url": b.url}
        return {
            "type": "postback",
            "title": truncate(b.title, 20),
            "payload": ctx.callback(b.payload or "", 1000),
        }

    def _part(self, part: Part, to: str, ctx: RenderContext, lang: str) -> list[dict[str, Any]]:
        if isinstance(part, TextPart):
            return self._text(part.text)
        if isinstance(part, ImagePart):
            img = {"attachment": {"type": "image", "payload": {"url": part.url, "is_reusable": True}}}
            return [img, *self._text(part.caption)] if part.caption else [img]
        if (
            isinstance(part, QuickReplies)
            and all(o.payload and not o.url for o in part.options)
            and len(part.options) <= self.capabilities.quick_replies
        ):
            return [
                {
                    "text": self._fit(part.text),
                    "quick_replies": [
                        {
                            "content_type": "text",
                            "title": truncate(o.title, 20),
                            "payload": ctx.callback(o.payload or "", 1000),
                        }
                        for o in part.options
                    ],
                }
            ]
        if isinstance(part, ProductCard):
            return [self._generic([part], ctx), *self._overflow([part], to, ctx, lang)]
        if isinstance(part, Carousel):
            shown = part.cards[: self.capabilities.carousel_cards]
            msg = self._generic(shown, ctx)
            rest = part.cards[self.capabilities.carousel_cards :]
            out = [msg, *self._overflow(shown, to, ctx, lang)]
            if rest:  # beyond 10 cards: the rest as numbered text, nothing dropped
                out += self._numbered(Carousel(cards=rest), to, ctx, lang)
            if part.more_payload:
                out[-1]["quick_replies"] = [
                    {
                        "content_type": "text",
                        "title": hint(MORE_TITLE, lang),
                        "payload": ctx.callback(part.more_payload, 1000),
                    }
                ]
            return out
        if isinstance(part, PaymentRequest):
            return [
                self._buttons(
                    part_body(part, lang), [Button(title=payment_title(part, lang), url=part.url)], ctx
                )
            ]
        body, buttons = part_body(part, lang), part_buttons(part, lang)
        if not buttons:
            return self._text(body)
        if len(buttons) <= 3 and len(body) <= 640:
            return [self._buttons(body, buttons, ctx)]
        if (
            all(b.payload and not b.url for b in buttons)
            and len(buttons) <= 13
            and len(body) <= self.capabilities.max_text
        ):
            return [
                {
                    "text": body,
                    "quick_replies": [
                        {
                            "content_type": "text",
                            "title": truncate(b.title, 20),
                            "payload": ctx.callback(b.payload or "", 1000),
                        }
                        for b in buttons
                    ],
                }
            ]
        return self._numbered(part, to, ctx, lang)

    def _overflow(
        self, cards: list[ProductCard], to: str, ctx: RenderContext, lang: str
    ) -> list[dict[str, Any]]:
        """A template card holds three buttons; any beyond that still reach the shopper as text."""
        extra = [
            Button(title=f"{b.title}: {c.title}", payload=b.payload, url=b.url)
            for c in cards
            for b in c.buttons[3:]
        ]
        if not extra:
            return []
        return self._numbered(ButtonsPart(text="More options:", buttons=extra), to, ctx, lang)

    def _numbered(self, part: Part, to: str, ctx: RenderContext, lang: str) -> list[dict[str, Any]]:
        rendering = numbered([part], lang, ctx)
        ctx.remember_choices(to, rendering.payloads)
        return self._text(rendering.text)

    def _buttons(self, text: str, buttons: list[Button], ctx: RenderContext) -> dict[str, Any]:
        return {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": truncate(text, 640),
                    "buttons": [self._button(b, ctx) for b in buttons[:3]],
                },
            }
        }

    def _generic(self, cards: list[ProductCard], ctx: RenderContext) -> dict[str, Any]:
        elements = []
        for c in cards:
            el: dict[str, Any] = {"title": truncate(c.title, 80), "subtitle": truncate(card_subtitle(c), 80)}
            if c.image_url:
                el["image_url"] = c.image_url
            if c.url:
                el["default_action"] = {"type": "web_url", "url": c.url}
            if c.buttons:
                el["buttons"] = [self._button(b, ctx) for b in c.buttons[:3]]
            elements.append(el)
        return {
            "attachment": {"type": "template", "payload": {"template_type": "generic", "elements": elements}}
        }

    def post(self, request: OutboundRequest) -> SendOutcome:
        return outcome(
            self.client,
            request,
            lambda b: b.get("message_id") if isinstance(b, dict) else None,
            meta.read_graph_error,
        )


class InstagramChannel(MessengerChannel):
    """Instagram DMs share Messenger's shapes; text is capped at 1000 bytes and only HUMAN_AGENT tags."""

    name = "instagram"
    object_name = "instagram"
    capabilities = Capabilities(
        max_text=1000,
        buttons=3,
        button_title=20,
        quick_replies=13,
        carousel_cards=10,
        images=True,
        url_buttons=True,
        callback_bytes=1000,
    )

    def _text(self, text: str) -> list[dict[str, Any]]:
        chunks = split_text(text, 500) if len(text.encode()) > 1000 else [text]
        return [{"text": truncate_bytes(t, 1000)} for t in chunks]
