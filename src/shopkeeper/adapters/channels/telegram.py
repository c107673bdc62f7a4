"""Telegram Bot API adapter: the secret-token header check, updates (messages, locations, photos,
callback queries) and sendMessage / sendPhoto bodies with inline keyboards whose callback_data is
at most 64 bytes — longer payloads go through short server-side tokens (research §1.4)."""

from __future__ import annotations

import hmac
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

import httpx2

from shopkeeper.adapters.channels.http import ProviderClient, json_of, outcome
from shopkeeper.channels.messages import (
    Attachment,
    Button,
    Carousel,
    ImagePart,
    InboundMessage,
    Location,
    Part,
    PaymentRequest,
    ProductCard,
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
    WebhookRequest,
)
from shopkeeper.channels.rendering import MORE_TITLE, card_line, hint, part_body, part_buttons, payment_title

CALLBACK_BYTES = 64
_BOT_TOKEN = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")


class _RedactBotToken(logging.Filter):
    """The Bot API puts the token in the URL; httpx2 logs URLs at INFO. Never let it reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _BOT_TOKEN.sub("/bot<redacted>", str(a)) if isinstance(a, str | httpx2.URL) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        record.msg = _BOT_TOKEN.sub("/bot<redacted>", str(record.msg))
        return True


_http_log = logging.getLogger("httpx2")
if not any(isinstance(f, _RedactBotToken) for f in _http_log.filters):
    _http_log.addFilter(_RedactBotToken())


class TelegramChannel:
    name = "telegram"
    capabilities = Capabilities(
        max_text=4096,
        buttons=100,
        button_title=64,
        images=True,
        url_buttons=True,
        callback_bytes=CALLBACK_BYTES,
        receipts=False,
    )

    def __init__(
        self,
        *,
        bot_token: str,
        secret_token: str,
        api_base: str,
        transport: httpx2.BaseTransport | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.secret_token = secret_token
        self.bot_id = bot_token.split(":", 1)[0] if bot_token else "default"
        self.client = ProviderClient(
            f"{api_base.rstrip('/')}/bot{bot_token}", transport=transport, timeout_s=timeout_s
        )

    # -- inbound -----------------------------------------------------------------------------------
    def verify(self, request: WebhookRequest) -> bool:
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        return bool(self.secret_token) and hmac.compare_digest(given.encode(), self.secret_token.encode())

    def parse(self, request: WebhookRequest) -> list[Parsed]:
        update = json.loads(request.body)
        uid = update.get("update_id")
        event_id = f"{self.bot_id}:{uid}"
        if "callback_query" in update:
            cq = update["callback_query"]
            chat = (cq.get("message") or {}).get("chat") or cq.get("from") or {}
            user = cq.get("from", {})
            return [
                InboundMessage(
                    channel=self.name,
                    channel_account=self.bot_id,
                    sender_id=str(chat.get("id", "")),
                    message_id=event_id,
                    text="",
                    payload=cq.get("data"),
                    profile_name=_name(user),
                    locale_hint=user.get("language_code"),
                    raw={"callback_query_id": cq.get("id"), "update": update},
                )
            ]
        msg = update.get("message")
        if not msg:
            kind = next((k for k in update if k != "update_id"), "unknown")
            return [Ignored(self.name, event_id, f"unsupported update {kind!r}", update)]
        user, chat = msg.get("from", {}), msg.get("chat", {})
        fields: dict[str, Any] = {"text": msg.get("text") or msg.get("caption") or ""}
        if "location" in msg:
            loc = msg["location"]
            fields["location"] = Location(
                latitude=loc.get("latitude", 0.0), longitude=loc.get("longitude", 0.0)
            )
        if msg.get("photo"):
            biggest = max(msg["photo"], key=lambda p: p.get("file_size", 0) or p.get("width", 0))
            fields["attachments"] = [
                Attachment(kind="image", provider_media_id=biggest.get("file_id"), caption=msg.get("caption"))
            ]
        if not (fields["text"] or "location" in fields or "attachments" in fields):
            return [Ignored(self.name, event_id, "message without text, photo or location", update)]
        sent_at = datetime.fromtimestamp(int(msg["date"]), UTC) if "date" in msg else None
        return [
            InboundMessage(
                channel=self.name,
                channel_account=self.bot_id,
                sender_id=str(chat.get("id", "")),
                message_id=event_id,
                sent_at=sent_at,
                profile_name=_name(user),
                locale_hint=user.get("language_code"),
                raw={"update": update},
                **fields,
            )
        ]

    # -- outbound ----------------------------------------------------------------------------------
    def answer_callback(self, callback_query_id: str) -> OutboundRequest:
        """Stops the client's spinner; must follow every callback query."""
        return OutboundRequest(path="answerCallbackQuery", json={"callback_query_id": callback_query_id})

    def render(
        self, reply: Reply, to: str, ctx: RenderContext, *, mode: str = "free"
    ) -> list[OutboundRequest]:
        out: list[OutboundRequest] = []
        for part in reply.parts:
            out += self._part(part, to, ctx, reply.language)
        return out

    def _row(self, buttons: list[Button], ctx: RenderContext) -> list[dict[str, str]]:
        row = []
        for b in buttons:
            if b.url:
                row.append({"text": b.title, "url": b.url})
            elif b.payload:
                row.append({"text": b.title, "callback_data": ctx.callback(b.payload, CALLBACK_BYTES)})
        return row

    def _keyboard(self, buttons: list[Button], ctx: RenderContext) -> dict[str, Any] | None:
        rows = [r for r in (self._row([b], ctx) for b in buttons) if r]
        return {"inline_keyboard": rows} if rows else None

    def _send(self, to: str, text: str, buttons: list[Button], ctx: RenderContext) -> list[OutboundRequest]:
        chunks = split_text(text, self.capabilities.max_text) or ["…"]
        out = [OutboundRequest(path="sendMessage", json={"chat_id": to, "text": c}) for c in chunks]
        keyboard = self._keyboard(buttons, ctx)
        if keyboard and out[-1].json is not None:
            out[-1].json["reply_markup"] = keyboard  # the keyboard rides on the last chunk
        return out

    def _photo(
        self, to: str, url: str, caption: str, buttons: list[Button], ctx: RenderContext
    ) -> list[OutboundRequest]:
        if len(caption) > 1024:  # captions are shorter than texts: photo, then the words
            return [
                OutboundRequest(path="sendPhoto", json={"chat_id": to, "photo": url}),
                *self._send(to, caption, buttons, ctx),
            ]
        body: dict[str, Any] = {"chat_id": to, "photo": url}
        if caption:
            body["caption"] = caption
        keyboard = self._keyboard(buttons, ctx)
        if keyboard:
            body["reply_markup"] = keyboard
        return [OutboundRequest(path="sendPhoto", json=body)]

    def _part(self, part: Part, to: str, ctx: RenderContext, lang: str) -> list[OutboundRequest]:
        if isinstance(part, TextPart):
            return self._send(to, part.text, [], ctx)
        if isinstance(part, ImagePart):
            return self._photo(to, part.url, part.caption or "", [], ctx)
        if isinstance(part, ProductCard) and part.image_url:
            return self._photo(to, part.image_url, part_body(part, lang), part.buttons, ctx)
        if isinstance(part, Carousel):
            # no native carousel: one message listing the cards, a keyboard row per card
            lines = [
                card_line(c if c.position else c.model_copy(update={"position": i}))
                for i, c in enumerate(part.cards, 1)
            ]
            rows: list[list[Button]] = []
            for i, c in enumerate(part.cards, 1):
                taps = [b for b in c.buttons if b.payload or b.url] or [
                    Button(title="View", payload=f"/product {c.product_id}")
                ]
                head = Button(title=truncate(f"{i}. {c.title}", 40), payload=taps[0].payload, url=taps[0].url)
                rows.append([head, *[b.model_copy(update={"title": f"{i}. {b.title}"}) for b in taps[1:]]])
            if part.more_payload:
                rows.append([Button(title=hint(MORE_TITLE, lang), payload=part.more_payload)])
            out = self._send(to, "\n".join(lines), [], ctx)
            if out[-1].json is not None:
                out[-1].json["reply_markup"] = {"inline_keyboard": [self._row(r, ctx) for r in rows]}
            return out
        if isinstance(part, PaymentRequest):
            return self._send(
                to, part_body(part, lang), [Button(title=payment_title(part, lang), url=part.url)], ctx
            )
        return self._send(to, part_body(part, lang), part_buttons(part, lang), ctx)

    def post(self, request: OutboundRequest) -> SendOutcome:
        return outcome(self.client, request, _message_id, _read_error)


def _name(user: dict[str, Any]) -> str | None:
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
    return name or user.get("username")


def _message_id(body: Any) -> str | None:
    result = body.get("result") if isinstance(body, dict) else None
    if isinstance(result, dict) and "message_id" in result:
        chat = (result.get("chat") or {}).get("id")
        return f"{chat}:{result['message_id']}"
    return None


def _read_error(resp: httpx2.Response) -> tuple[str, bool | None, float | None]:
    body = json_of(resp)
    desc = str(body.get("description", resp.text[:200]))
    retry_after = (body.get("parameters") or {}).get("retry_after")
    if resp.status_code == 403:  # blocked by the user / never started the bot: retrying cannot help
        return desc, False, None
    return desc, None, float(retry_after) if retry_after is not None else None
