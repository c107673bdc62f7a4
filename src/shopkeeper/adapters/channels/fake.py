"""A local stand-in for the providers' send APIs (an httpx2 MockTransport): answers like WhatsApp,
Messenger/Instagram, Telegram and Twilio do, records every request, and can be told to fail next.
Used by tests, the simulator and the benchmark — nothing leaves the machine."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx2


@dataclass
class CapturedRequest:
    provider: str
    method: str
    url: str
    body: Any  # parsed JSON, or the form as a list of pairs
    status: int = 200

    def form(self) -> dict[str, str]:
        return dict(self.body) if isinstance(self.body, list) else {}


@dataclass
class FakeProviders:
    """Give `transport` to the adapters; read `requests`; push (status, json, headers) to `failures`."""

    requests: list[CapturedRequest] = field(default_factory=list)
    failures: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    fail_at: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # nth request overall
    id_formats: dict[str, str] = field(
        default_factory=lambda: {
            "whatsapp": "wamid.OUT{n}",
            "messenger": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_OUT{n}",
            "instagram": "aWdfZAG1faXRlbToxOklHTWVzc2FnZA_OUT{n}",
            "twilio": "SM2{n:031d}",
        }
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)

    def provider_of(self, request: httpx2.Request) -> str:
        url = str(request.url)
        if "/Messages.json" in url:
            return "twilio"
        if "/bot" in request.url.path:
            return "telegram"
        body = request.content
        if b'"messaging_product"' in body:
            return "whatsapp"
        is_ig = "instagram" in url or "/ig/" in url or request.url.host.startswith("ig")
        return "instagram" if is_ig else "messenger"

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        provider = self.provider_of(request)
        raw = request.content.decode()
        body: Any = (
            parse_qsl(raw, keep_blank_values=True) if provider == "twilio" else json.loads(raw or "{}")
        )
        with self._lock:
            captured = CapturedRequest(provider, request.method, str(request.url), body)
            self.requests.append(captured)
            n = len([r for r in self.requests if r.provider == provider and r.status < 300])
            failure = self.failures.pop(0) if self.failures else None
            if failure is None and len(self.requests) in self.fail_at:
                failure = (*self.fail_at.pop(len(self.requests)), {})
        if failure is not None:
            status, data, headers = failure
            captured.status = status
            return httpx2.Response(status, json=data, headers=headers)
        return httpx2.Response(
            200 if provider != "twilio" else 201, json=self._answer(provider, n, body, request)
        )

    def _answer(self, provider: str, n: int, body: Any, request: httpx2.Request) -> dict[str, Any]:
        mid = self.id_formats.get(provider, "id{n}").format(n=n)
        if provider == "whatsapp":
            return {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                "messages": [{"id": mid}],
            }
        if provider in ("messenger", "instagram"):
            return {"recipient_id": (body.get("recipient") or {}).get("id"), "message_id": mid}
        if provider == "telegram":
            if request.url.path.endswith("answerCallbackQuery"):
                return {"ok": True, "result": True}
            return {"ok": True, "result": {"message_id": n, "chat": {"id": body.get("chat_id")}, "date": 0}}
        form = dict(body)
        return {
            "sid": mid,
            "status": "queued",
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
        }

    def of(self, provider: str) -> list[CapturedRequest]:
        return [r for r in self.requests if r.provider == provider]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
