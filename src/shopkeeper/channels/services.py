"""Channel use cases on a caller's session: contacts and their windows, opt-out, callback tokens,
choice menus, link codes, templates, rate-limit slots and forward-only delivery statuses."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopkeeper.channels.errors import LinkCodeInvalid
from shopkeeper.channels.model import STATUS_RANK, status_advances
from shopkeeper.channels.port import StatusUpdate
from shopkeeper.channels.store import (
    ChannelContactRow,
    ChannelTokenRow,
    ChoiceMenuRow,
    DeliveryRow,
    RateBucketRow,
    TemplateRow,
)
from shopkeeper.kernel import outbox
from shopkeeper.kernel.clock import new_id, utcnow

TOKEN_PREFIX = "~"  # marks callback data that is a server-side token, not a payload
LINK_CODE_TTL = timedelta(minutes=15)


# -- contacts ----------------------------------------------------------------------------------
def find_contact(session: Session, channel: str, recipient: str) -> ChannelContactRow | None:
    return session.scalar(
        select(ChannelContactRow).where(
            ChannelContactRow.channel == channel, ChannelContactRow.recipient == recipient
        )
    )


def touch_contact(
    session: Session,
    channel: str,
    recipient: str,
    *,
    account: str = "default",
    customer_id: str | None = None,
    language: str | None = None,
    inbound_at: datetime | None = None,
) -> ChannelContactRow:
    """Record that the shopper wrote to us: this (re)opens the messaging window."""
    now = utcnow()
    row = find_contact(session, channel, recipient)
    if row is None:
        row = ChannelContactRow(
            id=new_id("chc"),
            channel=channel,
            recipient=recipient,
            account=account,
            opted_out=False,
            unreachable=False,
            updated_at=now,
        )
        session.add(row)
    at = inbound_at or now
    if row.last_inbound_at is None or at > row.last_inbound_at:
        row.last_inbound_at = at
    row.account = account
    row.customer_id = customer_id or row.customer_id
    row.language = language or row.language
    row.unreachable = False
    row.updated_at = now
    session.flush()
    return row


def set_opted_out(session: Session, channel: str, recipient: str, opted_out: bool) -> None:
    row = find_contact(session, channel, recipient) or touch_contact(session, channel, recipient)
    row.opted_out = opted_out
    row.updated_at = utcnow()


def mark_unreachable(session: Session, channel: str, recipient: str) -> None:
    row = find_contact(session, channel, recipient)
    if row is not None:
        row.unreachable = True


# -- tokens, short links, menus ------------------------------------------------------------------
def _token(session: Session, kind: str, value: str, ttl: timedelta | None, token: str | None = None) -> str:
    now = utcnow()
    token = token or secrets.token_urlsafe(8)
    session.add(
        ChannelTokenRow(
            token=token, kind=kind, value=value, created_at=now, expires_at=now + ttl if ttl else None
        )
    )
    session.flush()
    return token


def _lookup(session: Session, kind: str, token: str) -> str | None:
    row = session.get(ChannelTokenRow, token)
    if row is None or row.kind != kind:
        return None
    if row.expires_at is not None and row.expires_at < utcnow():
        return None
    return row.value


def resolve_callback(session: Session, data: str) -> str:
    """Telegram callback_data back to the payload (tokens for payloads longer than 64 bytes)."""
    if data.startswith(TOKEN_PREFIX):
        return _lookup(session, "callback", data[len(TOKEN_PREFIX) :]) or data
    return data


def resolve_short_link(session: Session, token: str) -> str | None:
    return _lookup(session, "link", token)


def remember_choices(session: Session, channel: str, recipient: str, payloads: list[str]) -> None:
    key = f"{channel}:{recipient}"
    row = session.get(ChoiceMenuRow, key)
    if row is None:
        session.add(ChoiceMenuRow(key=key, payloads=list(payloads), created_at=utcnow()))
    else:
        row.payloads, row.created_at = list(payloads), utcnow()


CHOICE_RE = re.compile(r"^\s*#?(\d{1,2})[.)]?\s*$")


def resolve_choice(session: Session, channel: str, recipient: str, text: str) -> str | None:
    """A reply of just a number picks that choice of the last numbered menu shown."""
    m = CHOICE_RE.match(text)
    if not m:
        return None
    row = session.get(ChoiceMenuRow, f"{channel}:{recipient}")
    n = int(m.group(1))
    if row is None or not 1 <= n <= len(row.payloads):
        return None
    return str(row.payloads[n - 1])


@dataclass
class DbRenderContext:
    """RenderContext backed by the channel tables, within the sender's transaction."""

    session: Session
    channel: str
    base_url: str = ""

    def callback(self, payload: str, max_bytes: int) -> str:
        if len(payload.encode()) <= max_bytes and not payload.startswith(TOKEN_PREFIX):
            return payload
        return TOKEN_PREFIX + _token(self.session, "callback", payload, timedelta(days=30))

    def remember_choices(self, recipient: str, payloads: list[str]) -> None:
        remember_choices(self.session, self.channel, recipient, payloads)

    def short_link(self, url: str) -> str:
        if not self.base_url or len(url) <= 40:
            return url
        return (
            f"{self.base_url.rstrip('/')}/webhooks/l/{_token(self.session, 'link', url, timedelta(days=30))}"
        )


# -- identity link codes -------------------------------------------------------------------------
def issue_link_code(session: Session, customer_id: str) -> str:
    """A 6-digit code the shopper types on another channel to bring their cart and orders along."""
    for _ in range(5):
        code = f"{secrets.randbelow(10**6):06d}"
        if session.get(ChannelTokenRow, f"link-{code}") is None:
            _token(session, "linkcode", customer_id, LINK_CODE_TTL, token=f"link-{code}")
            return code
    raise LinkCodeInvalid("could not allocate a link code")  # pragma: no cover - 1e-30 odds


def redeem_link_code(session: Session, code: str) -> str:
    """The customer id behind a code; single use."""
    row = session.get(ChannelTokenRow, f"link-{code.strip()}")
    if row is None or row.kind != "linkcode" or (row.expires_at and row.expires_at < utcnow()):
        raise LinkCodeInvalid("that link code is unknown or expired")
    customer_id = row.value
    session.delete(row)
    return customer_id


# -- templates -----------------------------------------------------------------------------------
def register_template(
    session: Session,
    channel: str,
    name: str,
    language: str,
    category: str,
    body: str,
    provider_ref: str | None = None,
) -> TemplateRow:
    category = category.upper()
    if category not in ("MARKETING", "UTILITY", "AUTHENTICATION"):
        raise ValueError(f"template category {category!r} is not MARKETING, UTILITY or AUTHENTICATION")
    row = session.scalar(
        select(TemplateRow).where(
            TemplateRow.channel == channel, TemplateRow.name == name, TemplateRow.language == language
        )
    )
    if row is None:
        row = TemplateRow(
            id=new_id("tpl"),
            channel=channel,
            name=name,
            language=language,
            created_at=utcnow(),
            category=category,
            body=body,
        )
        session.add(row)
    row.category, row.body, row.provider_ref = category, body, provider_ref
    session.flush()
    return row


def find_template(session: Session, channel: str, name: str, language: str) -> TemplateRow | None:
    """Exact language (en_US), then its base (en), then any variant starting with the base."""
    rows = list(
        session.scalars(select(TemplateRow).where(TemplateRow.channel == channel, TemplateRow.name == name))
    )
    base = language.replace("-", "_").split("_")[0].lower()
    for pick in (
        lambda r: r.language == language,
        lambda r: r.language.lower() == base,
        lambda r: r.language.lower().startswith(base),
    ):
        for r in rows:
            if pick(r):
                return r
    return None


# -- rate limits (GCRA, shared by every worker through the database) -----------------------------
def take_rate_slot(
    session: Session, key: str, interval_s: float, burst: int, *, count: int = 1, now: datetime | None = None
) -> float:
    """0.0 if `count` sends may go now (and they are counted), else the seconds to wait."""
    now = now or utcnow()
    row = session.get(RateBucketRow, key, with_for_update=True)
    interval = timedelta(seconds=interval_s)
    if row is None:
        row = RateBucketRow(key=key, tat=now)
        session.add(row)
    tat = max(row.tat, now)
    allowance = interval * max(burst - count, 0)
    if tat - now > allowance:
        return (tat - now - allowance).total_seconds()
    row.tat = tat + interval * count
    session.flush()
    return 0.0


# -- deliveries and statuses ---------------------------------------------------------------------
def sent_parts(session: Session, outbox_id: str) -> set[int]:
    return set(session.scalars(select(DeliveryRow.part_index).where(DeliveryRow.outbox_id == outbox_id)))


def record_delivery(
    session: Session,
    outbox_id: str,
    part_index: int,
    channel: str,
    recipient: str,
    provider_message_id: str | None,
    message_id: str | None = None,
) -> DeliveryRow:
    now = utcnow()
    row = DeliveryRow(
        id=new_id("dlv"),
        outbox_id=outbox_id,
        message_id=message_id,
        part_index=part_index,
        channel=channel,
        recipient=recipient,
        provider_message_id=provider_message_id,
        status="sent",
        sent_at=now,
        status_at=now,
    )
    session.add(row)
    session.flush()
    return row


def apply_status(session: Session, upd: StatusUpdate) -> list[DeliveryRow]:
    """Move deliveries forward (never back); returns the rows that changed."""
    if upd.provider_message_id:
        rows = list(
            session.scalars(
                select(DeliveryRow).where(DeliveryRow.provider_message_id == upd.provider_message_id)
            )
        )
    elif upd.watermark is not None and upd.recipient_id:
        # Messenger watermarks mean "everything sent up to t" (research §1.3)
        rows = list(
            session.scalars(
                select(DeliveryRow).where(
                    DeliveryRow.channel == upd.channel,
                    DeliveryRow.recipient == upd.recipient_id,
                    DeliveryRow.sent_at <= upd.watermark,
                    DeliveryRow.status.in_(
                        [s for s, r in STATUS_RANK.items() if r < STATUS_RANK[upd.status]]
                    ),
                )
            )
        )
    else:
        rows = []
    changed = []
    for row in rows:
        if status_advances(row.status, upd.status):
            row.status, row.status_at = upd.status, upd.at or utcnow()
            row.error = upd.error or row.error
            changed.append(row)
    return changed


def delivery_status(session: Session, provider_message_id: str) -> str | None:
    return session.scalar(
        select(DeliveryRow.status).where(DeliveryRow.provider_message_id == provider_message_id)
    )


def enqueue_template(
    session: Session,
    channel: str,
    recipient: str,
    name: str,
    language: str,
    params: list[str],
    *,
    account: str = "default",
    dedupe_key: str | None = None,
) -> str:
    """Queue an approved template (the only WhatsApp message allowed outside the 24 h window)."""
    msg = outbox.enqueue(
        session,
        f"channel.{channel}",
        recipient,
        {
            "template": {"name": name, "language": language, "params": list(params)},
            "channel_account": account,
        },
        dedupe_key=dedupe_key,
    )
    return msg.id
