"""Twilio adapter (SMS/MMS and WhatsApp via Twilio): X-Twilio-Signature over the public URL and the
sorted form parameters, inbound and status-callback forms, and Messages.json form bodies — replies
as concise text with numbered choices, GSM-7 friendly, within Twilio's 1600-char Body (research §1.5)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx2

from shopkeeper.adapters.channels.http import ProviderClient, json_of, outcome
from shopkeeper.channels.messages import Attachment, InboundMessage, Location, Reply
from shopkeeper.channels.model import gsm_friendly, split_text
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
from shopkeeper.channels.rendering import numbered

STATUS_MAP = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}
WA_PREFIX = "whatsapp:"
BODY_LIMIT = 1600
# errors after which a retry cannot help: opted out, invalid/unreachable number, window closed
PERMANENT_ERRORS = {21610, 21211, 21614, 21408, 63016, 21612}


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """base64(HMAC-SHA1(token, url + name+value for names sorted, values sorted within a name))."""
    s = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), s.encode(), hashlib.sha1).digest()).decode()


def _port_variants(url: str) -> list[str]:
    # Twilio signs inconsistently with or without the default port: accept both (its own validator does)
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    with_port = urlunsplit((parts.scheme, f"{host}:{default}", parts.path, parts.query, parts.fragment))
    without = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    if parts.port not in (None, default):
        return [url]
    return [without, with_port]


def validate(auth_token: str, url: str, body: bytes, content_type: str, header: str | None) -> bool:
    if not auth_token or not header:
        return False
    query = dict(parse_qsl(urlsplit(url).query))
    if "bodySHA256" in query:  # JSON-bodied requests sign the URL and carry the body's hash
        digest = hashlib.sha256(body).hexdigest()
        if not hmac.compare_digest(digest, query["bodySHA256"]):
            return False
        params: list[tuple[str, str]] = []
    elif "application/x-www-form-urlencoded" in content_type or not content_type:
        params = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    else:
        params = []
    return any(hmac.compare_digest(signature(auth_token, u, params), header) for u in _port_variants(url))


class TwilioChannel:
    name = "sms"
    capabilities = Capabilities(max_text=BODY_LIMIT, images=False, url_buttons=False, callback_bytes=0)

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        api_base: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        status_callback: str | None = None,
        transport: httpx2.BaseTransport | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.from_number, self.messaging_service_sid = from_number, messaging_service_sid
        self.status_callback = status_callback
        self.client = ProviderClient(
            api_base, auth=(account_sid, auth_token), transport=transport, timeout_s=timeout_s
        )

    @property
    def messages_path(self) -> str:
        return f"2010-04-01/Accounts/{self.account_sid}/Messages.json"

    # -- inbound -----------------------------------------------------------------------------------
    def verify(self, request: WebhookRequest) -> bool:
        return validate(
            self.auth_token,
            request.url,
            request.body,
            request.headers.get("content-type", ""),
            request.headers.get("x-twilio-signature"),
        )

    def parse(self, request: WebhookRequest) -> list[Parsed]:
        form = dict(parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True))
        sid = form.get("MessageSid") or form.get("SmsSid") or ""
        if "MessageStatus" in form and "Body" not in form:
            return [self._status(form, sid)]
        sender, to = form.get("From", ""), form.get("To", "")
        channel = "twilio_whatsapp" if sender.startswith(WA_PREFIX) else self.name
        sender = sender.removeprefix(WA_PREFIX)
        attachments = [
            Attachment(
                kind="image" if form.get(f"MediaContentType{i}", "").startswith("image") else "file",
                url=form.get(f"MediaUrl{i}"),
                mime_type=form.get(f"MediaContentType{i}"),
            )
            for i in range(int(form.get("NumMedia", "0") or 0))
        ]
        location = None
        if form.get("Latitude") and form.get("Longitude"):
            location = Location(
                latitude=float(form["Latitude"]),
                longitude=float(form["Longitude"]),
                address=form.get("Address"),
                name=form.get("Label"),
            )
        text = form.get("ButtonText") or form.get("Body", "")
        if not (text or attachments or location):
            return [Ignored(channel, sid, "empty message", form)]
        return [
            InboundMessage(
                channel=channel,
                channel_account=to.removeprefix(WA_PREFIX),
                sender_id=sender,
                message_id=sid,
                text=text,
                payload=form.get("ButtonPayload") or None,
                location=location,
                attachments=attachments,
                profile_name=form.get("ProfileName"),
                raw={"form": form},
            )
        ]

    def _status(self, form: dict[str, str], sid: str) -> Parsed:
        raw_status = form.get("MessageStatus", "")
        status = STATUS_MAP.get(raw_status)
        channel = "twilio_whatsapp" if form.get("To", "").startswith(WA_PREFIX) else self.name
        if status is None:  # queued, accepted, sending, scheduled: nothing new for us
            return Ignored(channel, f"{sid}:{raw_status}", f"interim status {raw_status!r}", form)
        error = (
            f"{form['ErrorCode']} {form.get('ErrorMessage', '')}".strip() if form.get("ErrorCode") else None
        )
        return StatusUpdate(
            channel,
            status,
            provider_message_id=sid,
            recipient_id=form.get("To"),
            error=error,
            event_id=f"{sid}:{raw_status}",
            raw=form,
        )

    # -- outbound ----------------------------------------------------------------------------------
    def render(
        self, reply: Reply, to: str, ctx: RenderContext, *, mode: str = "free", channel: str = "sms"
    ) -> list[OutboundRequest]:
        rendering = numbered(list(reply.parts), reply.language, ctx)
        ctx.remember_choices(to, rendering.payloads)
        text = gsm_friendly(rendering.text)  # curly quotes and dashes would force UCS-2 (70-char parts)
        return [self._form(to, chunk, channel) for chunk in split_text(text, BODY_LIMIT)]

    def content(self, to: str, content_sid: str, variables: str, channel: str) -> OutboundRequest:
        """A WhatsApp template by ContentSid (Body templates fail outside the window since 2025-04)."""
        req = self._form(to, "", channel)
        form = [(k, v) for k, v in (req.form or []) if k != "Body"]
        return OutboundRequest(
            path=req.path, form=[*form, ("ContentSid", content_sid), ("ContentVariables", variables)]
        )

    def _form(self, to: str, body: str, channel: str) -> OutboundRequest:
        wa = channel == "twilio_whatsapp"
        pairs = [("To", f"{WA_PREFIX}{to}" if wa else to), ("Body", body)]
        if self.messaging_service_sid:
            pairs.append(("MessagingServiceSid", self.messaging_service_sid))
        elif self.from_number:
            pairs.append(("From", f"{WA_PREFIX}{self.from_number}" if wa else self.from_number))
        if self.status_callback:
            pairs.append(("StatusCallback", self.status_callback))
        return OutboundRequest(path=self.messages_path, form=pairs)

    def post(self, request: OutboundRequest) -> SendOutcome:
        return outcome(
            self.client, request, lambda b: b.get("sid") if isinstance(b, dict) else None, _read_error
        )


def _read_error(resp: httpx2.Response) -> tuple[str, bool | None, float | None]:
    body = json_of(resp)
    code = body.get("code")
    message = f"{code} {body.get('message', resp.text[:200])}".strip()
    if code in PERMANENT_ERRORS:
        return message, False, None
    return message, None, None
