"""The Channel port: what every messaging adapter offers (verify, parse, render, send) and the
small value types that cross it. Adapters live in `shopkeeper.adapters.channels`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shopkeeper.channels.messages import InboundMessage, Reply


@dataclass(frozen=True)
class Capabilities:
    """What a channel can show natively; anything else degrades to text (never dropped)."""

    max_text: int
    buttons: int = 0  # reply buttons per message
    button_title: int = 20
    list_rows: int = 0
    quick_replies: int = 0
    carousel_cards: int = 0
    images: bool = False
    url_buttons: bool = False
    native_products: bool = False  # catalog product messages (WhatsApp with a catalog id)
    callback_bytes: int = 1000  # longest button payload the provider carries back
    receipts: bool = True  # delivery/read callbacks exist


@dataclass(frozen=True)
class StatusUpdate:
    """A provider's word on an outbound message: by id, or (Messenger/IG) a watermark for a recipient."""

    channel: str
    status: str  # sent | delivered | read | failed
    provider_message_id: str | None = None
    recipient_id: str | None = None
    watermark: datetime | None = None
    at: datetime | None = None
    error: str | None = None
    event_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ignored:
    """An event we verified and log but do not act on (page echoes, reactions, typing…)."""

    channel: str
    event_id: str
    reason: str
    raw: dict[str, Any] = field(default_factory=dict)


Parsed = InboundMessage | StatusUpdate | Ignored


@dataclass(frozen=True)
class WebhookRequest:
    """The parts of an HTTP request a verifier needs, taken before any parsing."""

    body: bytes
    headers: Mapping[str, str]  # lower-cased names
    url: str  # the public URL the provider called (Twilio signs it)
    query: Mapping[str, str] = field(default_factory=dict)


class RenderContext(Protocol):
    """Server-side state rendering needs: short callback tokens, SMS choice menus, links."""

    def callback(self, payload: str, max_bytes: int) -> str: ...

    def remember_choices(self, recipient: str, payloads: list[str]) -> None: ...

    def short_link(self, url: str) -> str: ...


@dataclass(frozen=True)
class OutboundRequest:
    """One provider API call: the path under the API base, and a JSON or form body."""

    path: str
    json: dict[str, Any] | None = None
    form: list[tuple[str, str]] | None = None


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    provider_message_id: str | None = None
    error: str | None = None
    retry_after_s: float | None = None
    permanent: bool = False


class Channel(Protocol):
    name: str
    capabilities: Capabilities

    def verify(self, request: WebhookRequest) -> bool: ...

    def parse(self, request: WebhookRequest) -> list[Parsed]: ...

    def render(
        self, reply: Reply, to: str, ctx: RenderContext, *, mode: str = "free"
    ) -> list[OutboundRequest]: ...

    def post(self, request: OutboundRequest) -> SendOutcome: ...


@dataclass
class NullRenderContext:
    """A context that keeps tokens in memory: for previews, the simulator and unit tests."""

    tokens: dict[str, str] = field(default_factory=dict)
    menus: dict[str, list[str]] = field(default_factory=dict)

    def callback(self, payload: str, max_bytes: int) -> str:
        if len(payload.encode()) <= max_bytes:
            return payload
        token = f"~{len(self.tokens):x}"
        self.tokens[token] = payload
        return token

    def remember_choices(self, recipient: str, payloads: list[str]) -> None:
        self.menus[recipient] = payloads

    def short_link(self, url: str) -> str:
        return url
