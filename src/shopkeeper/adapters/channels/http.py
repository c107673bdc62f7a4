"""One outbound HTTP client per channel adapter (httpx2, injectable transport for tests and the
simulator) and the shared mapping of HTTP outcomes to retry / give-up decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2

from shopkeeper.channels.port import OutboundRequest, SendOutcome

ErrorReader = Callable[[httpx2.Response], tuple[str, bool | None, float | None]]


class ProviderClient:
    """Posts OutboundRequests under a base URL; never logs secrets (auth lives in the client)."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        transport: httpx2.BaseTransport | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._options: dict[str, Any] = {
            "headers": headers or {},
            "auth": auth,
            "transport": transport,
            "timeout": timeout_s,
        }
        self._client: httpx2.Client | None = None  # made on first use: a TLS context costs ~0.2 s

    @property
    def client(self) -> httpx2.Client:
        if self._client is None:
            self._client = httpx2.Client(**self._options)
        return self._client

    def post(self, req: OutboundRequest) -> httpx2.Response:
        url = f"{self.base_url}/{req.path.lstrip('/')}"
        if req.form is not None:
            return self.client.post(url, data=_form(req.form))
        return self.client.post(url, json=req.json)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            out[k] = [*([out[k]] if isinstance(out[k], str) else out[k]), v]
        else:
            out[k] = v
    return out


def outcome(
    client: ProviderClient,
    req: OutboundRequest,
    read_id: Callable[[Any], str | None],
    read_error: ErrorReader,
) -> SendOutcome:
    """Send and classify: 2xx ok; 429 and 5xx retry (honouring Retry-After); other 4xx give up
    unless the provider's error says it is transient."""
    try:
        resp = client.post(req)
    except httpx2.TransportError as exc:
        return SendOutcome(ok=False, error=f"transport: {type(exc).__name__}: {exc}")
    if 200 <= resp.status_code < 300:
        try:
            body = resp.json()
        except ValueError:
            body = {}
        return SendOutcome(ok=True, provider_message_id=read_id(body))
    message, transient, retry_after = read_error(resp)
    header = resp.headers.get("retry-after")
    if retry_after is None and header and header.isdigit():
        retry_after = float(header)
    if transient is None:
        transient = resp.status_code == 429 or resp.status_code >= 500
    return SendOutcome(
        ok=False,
        error=f"HTTP {resp.status_code}: {message}",
        retry_after_s=retry_after,
        permanent=not transient,
    )


def json_of(resp: httpx2.Response) -> dict[str, Any]:
    try:
        data = resp.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
