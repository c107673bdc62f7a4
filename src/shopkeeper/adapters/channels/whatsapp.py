"""WhatsApp Cloud API adapter: verifies and parses `whatsapp_business_account` webhooks and renders
canonical replies as Cloud API message bodies (research §1.2). Speaks only WhatsApp's wire format."""

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
    CartSummary,
    ImagePart,
    InboundMessage,
    Location,
    OrderSummary,
    Part,
    PaymentRequest,
    ProductCard,
    QuickReplies,
    Reply,
    TextPart,
)
from shopkeeper.channels.model import split_text, truncate
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
from shopkeeper.channels.rendering import card_subtitle, numbered, part_body, part_buttons, payment_title
from shopkeeper.kernel.money import Money

MEDIA_KINDS = {"image": "image", "video": "video", "audio": "audio", "document": "file", "sticker": "sticker"}


def _ts(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError):
        return None


class WhatsAppChannel:
    name = "whatsapp"
    capabilities = Capabilities(
        max_text=4096,
        buttons=3,
        button_title=20,
        list_rows=10,
        images=True,
        url_buttons=True,
        native_products=True,
        callback_bytes=256,
    )

    def __init__(
        self,
        *,
        app_secret: str,
        verify_token: str,
        access_token: str,
        phone_number_id: str,
        api_base: str,
        catalog_id: str | None = None,
        transport: httpx2.BaseTransport | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.app_secret, self.verify_token = app_secret, verify_token
        self.phone_number_id, self.catalog_id = phone_number_id, catalog_id
        self.client = ProviderClient(
            api_base,
            headers={"Authorization": f"Bearer {access_token}"},
            transport=transport,
            timeout_s=timeout_s,
        )

    # -- inbound -----------------------------------------------------------------------------------
    def handshake(self, query: dict[str, str]) -> str | None:
        return meta.handshake(query, self.verify_token)

    def verify(self, request: WebhookRequest) -> bool:
        return meta.verify_signature(
            request.body, request.headers.get("x-hub-signature-256"), self.app_secret
        )

    def parse(self, request: WebhookRequest) -> list[Parsed]:
        body = json.loads(request.body)
        out: list[Parsed] = []
        if body.get("object") != "whatsapp_business_account":
            return out
        for entry in body.get("entry", []):
            for change in entry.get("changes", []):
                if change.get("field") != "messages":
                    continue
                value = change.get("value", {})
                account = value.get("metadata", {}).get("phone_number_id", "default")
                contacts = {c.get("wa_id") or c.get("user_id"): c for c in value.get("contacts", [])}
                for msg in value.get("messages", []):
                    out.append(self._message(msg, account, contacts))
                for st in value.get("statuses", []):
                    out.append(self._status(st))
        return out

    def _message(self, msg: dict[str, Any], account: str, contacts: dict[str, Any]) -> Parsed:
        contact = contacts.get(msg.get("from") or "") or (next(iter(contacts.values())) if contacts else {})
        # from mid-2026 the phone may be absent for username users: fall back to the BSUID
        sender = msg.get("from") or contact.get("user_id") or msg.get("from_user_id") or ""
        kind = msg.get("type", "")
        fields: dict[str, Any] = {}
        if kind == "text":
            fields["text"] = msg.get("text", {}).get("body", "")
        elif kind == "interactive":
            inter = msg.get("interactive", {})
            reply = inter.get(inter.get("type", ""), {})
            fields.update(text=reply.get("title", ""), payload=reply.get("id"))
        elif kind == "button":  # template quick-reply buttons arrive differently
            fields.update(
                text=msg.get("button", {}).get("text", ""), payload=msg.get("button", {}).get("payload")
            )
        elif kind == "location":
            loc = msg.get("location", {})
            fields["location"] = Location(
                latitude=loc.get("latitude", 0.0),
                longitude=loc.get("longitude", 0.0),
                name=loc.get("name"),
                address=loc.get("address"),
            )
        elif kind in MEDIA_KINDS:
            media = msg.get(kind, {})
            fields["attachments"] = [
                Attachment(
                    kind=MEDIA_KINDS[kind],
                    provider_media_id=media.get("id"),
                    mime_type=media.get("mime_type"),
                    caption=media.get("caption"),
                )
            ]
            fields["text"] = media.get("caption") or ""
        elif kind == "order":
            order = msg.get("order", {})
            fields["text"] = order.get("text") or ""
            fields["order_items"] = [
                _order_item(i, order.get("catalog_id")) for i in order.get("product_items", [])
            ]
        else:  # reaction, contacts, system, unsupported…: stored, not fed to the bot
            return Ignored(self.name, f"{msg.get('id')}", f"unsupported type {kind!r}", msg)
        return InboundMessage(
            channel=self.name,
            channel_account=account,
            sender_id=sender,
            message_id=msg.get("id", ""),
            sent_at=_ts(msg.get("timestamp")),
            profile_name=(contact.get("profile") or {}).get("name"),
            raw={"message": msg, "contact": contact},
            **fields,
        )

    def _status(self, st: dict[str, Any]) -> StatusUpdate:
        errors = st.get("errors") or []
        error = "; ".join(f"{e.get('code')} {e.get('title', '')}".strip() for e in errors) or None
        return StatusUpdate(
            channel=self.name,
            status=st.get("status", ""),
            provider_message_id=st.get("id"),
            recipient_id=st.get("recipient_id"),
            at=_ts(st.get("timestamp")),
            error=error,
            event_id=f"{st.get('id')}:{st.get('status')}",
            raw=st,
        )

    # -- outbound ----------------------------------------------------------------------------------
    def _req(self, to: str, kind: str, content: dict[str, Any]) -> OutboundRequest:
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": kind,
            kind: content,
        }
        return OutboundRequest(path=f"{self.phone_number_id}/messages", json=body)

    def render(
        self, reply: Reply, to: str, ctx: RenderContext, *, mode: str = "free"
    ) -> list[OutboundRequest]:
        out: list[OutboundRequest] = []
        lead: str | None = None  # a short text just before an interactive message rides in its body
        for part in reply.parts:
            rendered = self._part(part, to, ctx, reply.language)
            if lead is not None and rendered and _merge_lead(rendered[0], lead):
                out.pop()
            lead = part.text if isinstance(part, TextPart) and len(rendered) == 1 else None
            out += rendered
        return out

    def template(self, to: str, name: str, language: str, params: list[str]) -> OutboundRequest:
        components = (
            [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}] if params else []
        )
        return self._req(
            to, "template", {"name": name, "language": {"code": language}, "components": components}
        )

    def _text(self, to: str, text: str) -> list[OutboundRequest]:
        return [
            self._req(to, "text", {"body": chunk, "preview_url": "http" in chunk})
            for chunk in split_text(text, self.capabilities.max_text)
        ]

    def _part(self, part: Part, to: str, ctx: RenderContext, lang: str) -> list[OutboundRequest]:
        if isinstance(part, TextPart):
            return self._text(to, part.text)
        if isinstance(part, ImagePart):
            img = {"link": part.url} | ({"caption": truncate(part.caption, 1024)} if part.caption else {})
            return [self._req(to, "image", img)]
        if isinstance(part, PaymentRequest):
            return [self._cta(to, part_body(part, lang), payment_title(part, lang), part.url)]
        if isinstance(part, Carousel):
            return self._carousel(part, to, ctx, lang)
        header = None
        if isinstance(part, ProductCard):
            if self.catalog_id and not part.buttons:
                return [
                    self._req(
                        to,
                        "interactive",
                        {
                            "type": "product",
                            "body": {"text": truncate(part.title, 1024)},
                            "action": {"catalog_id": self.catalog_id, "product_retailer_id": part.product_id},
                        },
                    )
                ]
            header = {"type": "image", "image": {"link": part.image_url}} if part.image_url else None
            body = f"{part.title}\n{card_subtitle(part)}"
        else:
            assert isinstance(part, QuickReplies | ButtonsPart | CartSummary | OrderSummary)
            body = part_body(part, lang)
        return self._choices(to, body, part_buttons(part, lang), ctx, lang, header)

    def _cta(self, to: str, body: str, title: str, url: str) -> OutboundRequest:
        return self._req(
            to,
            "interactive",
            {
                "type": "cta_url",
                "body": {"text": truncate(body, 1024)},
                "action": {
                    "name": "cta_url",
                    "parameters": {"display_text": truncate(title, 20), "url": url},
                },
            },
        )

    def _choices(
        self,
        to: str,
        body: str,
        buttons: list[Button],
        ctx: RenderContext,
        lang: str,
        header: dict[str, Any] | None = None,
    ) -> list[OutboundRequest]:
        taps = [b for b in buttons if b.payload and not b.url]
        links = [b for b in buttons if b.url]
        out: list[OutboundRequest] = []
        if len(body) > 1024 or len(taps) > 10:  # too big for interactive: numbered text still works
            rendering = numbered([ButtonsPart(text=body, buttons=buttons)], lang, ctx)
            ctx.remember_choices(to, rendering.payloads)
            return self._text(to, rendering.text)
        if not taps and len(links) == 1:
            return [self._cta(to, body, links[0].title, links[0].url or "")]
        if not taps:
            out += (
                self._text(to, body)
                if header is None
                else [self._req(to, "image", {**header["image"], "caption": truncate(body, 1024)})]
            )
        elif len(taps) <= 3:
            inter: dict[str, Any] = {
                "type": "button",
                "body": {"text": body or "…"},
                "action": {
                    "buttons": [
                        {
                            "type": "reply",
                            "reply": {
                                "id": ctx.callback(b.payload or "", 256),
                                "title": truncate(b.title, 20),
                            },
                        }
                        for b in taps
                    ]
                },
            }
            if header:
                inter["header"] = header
            out.append(self._req(to, "interactive", inter))
        else:
            rows = [
                {"id": ctx.callback(b.payload or "", 200), "title": truncate(b.title, 24)}
                | ({"description": truncate(b.title, 72)} if len(b.title) > 24 else {})
                for b in taps
            ]
            if header:
                out.append(self._req(to, "image", dict(header["image"])))
            out.append(
                self._req(
                    to,
                    "interactive",
                    {
                        "type": "list",
                        "body": {"text": body or "…"},
                        "action": {"button": "Choose", "sections": [{"title": "Options", "rows": rows}]},
                    },
                )
            )
        out += [self._cta(to, b.title, b.title, b.url or "") for b in links]  # each link stays tappable
        return out

    def _carousel(self, part: Carousel, to: str, ctx: RenderContext, lang: str) -> list[OutboundRequest]:
        if self.catalog_id and 1 < len(part.cards) <= 30:
            items = [{"product_retailer_id": c.product_id} for c in part.cards]
            out = [
                self._req(
                    to,
                    "interactive",
                    {
                        "type": "product_list",
                        "header": {"type": "text", "text": "Products"},
                        "body": {"text": "Tap a product to see it."},
                        "action": {
                            "catalog_id": self.catalog_id,
                            "sections": [{"title": "Results", "product_items": items}],
                        },
                    },
                )
            ]
            if part.more_payload:
                out += self._choices(
                    to, "More?", [Button(title="Show more", payload=part.more_payload)], ctx, lang
                )
            return out
        # one list message: a row per card (its first tap action), then "show more"
        rows: list[Button] = []
        for c in part.cards:
            first = next((b for b in c.buttons if b.payload), None)
            rows.append(Button(title=c.title, payload=first.payload if first else f"/product {c.product_id}"))
        if part.more_payload:
            rows.append(Button(title="Show more", payload=part.more_payload))
        if len(rows) > 10:
            return self._choices(to, part_body(part, lang), part_buttons(part, lang), ctx, lang)
        body = "\n".join(f"{i}. {c.title} — {card_subtitle(c)}" for i, c in enumerate(part.cards, 1))
        items = [
            {
                "id": ctx.callback(b.payload or "", 200),
                "title": truncate(b.title, 24),
                "description": truncate(card_subtitle(c), 72),
            }
            for b, c in zip(rows, part.cards, strict=False)
        ]
        if part.more_payload:
            items.append({"id": ctx.callback(part.more_payload, 200), "title": "Show more"})
        return [
            self._req(
                to,
                "interactive",
                {
                    "type": "list",
                    "body": {"text": truncate(body, 1024)},
                    "action": {"button": "See products", "sections": [{"title": "Products", "rows": items}]},
                },
            )
        ]

    def post(self, request: OutboundRequest) -> SendOutcome:
        return outcome(self.client, request, _message_id, meta.read_graph_error)


def _merge_lead(request: OutboundRequest, lead: str) -> bool:
    """Fewer, richer messages (every message is billed since 2026-10): put the lead-in text on top
    of the interactive body when both fit its 1024 characters."""
    body = request.json or {}
    inter = body.get("interactive") or {}
    if body.get("type") != "interactive" or "body" not in inter or inter.get("type") == "product":
        return False
    merged = f"{lead}\n\n{inter['body']['text']}"
    if len(merged) > 1024:
        return False
    inter["body"]["text"] = merged
    return True


def _message_id(body: Any) -> str | None:
    msgs = body.get("messages") if isinstance(body, dict) else None
    return msgs[0].get("id") if msgs else None


def _order_item(item: dict[str, Any], catalog_id: str | None) -> dict[str, Any]:
    # item_price is a major-unit number (research §1.2): convert through a decimal string, never a float
    currency = str(item.get("currency", "EUR"))
    price = Money.of(str(item.get("item_price", "0")), currency)
    return {
        "product_retailer_id": item.get("product_retailer_id"),
        "quantity": int(item.get("quantity", 1)),
        "unit_price_minor": price.amount_minor,
        "currency": currency,
        "catalog_id": catalog_id,
    }
