"""Messaging-channel webhooks: read the raw body, verify, store each provider event once, answer at
once; processing (bot → outbox) runs after the response from the stored events. Meta's GET is the
hub.challenge handshake. Forged or unsigned requests get 403 and nothing is stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from shopkeeper.adapters.channels.inbound import Accepted, accept, process
from shopkeeper.channels.errors import InvalidSignature
from shopkeeper.channels.port import Channel, WebhookRequest

router = APIRouter(prefix="/webhooks", tags=["webhooks"], include_in_schema=False)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _channel(request: Request, name: str) -> Channel:
    channels: dict[str, Channel] = request.app.state.services.extras.get("channels") or {}
    channel = channels.get(name)
    if channel is None:
        raise HTTPException(404, {"code": "channel_not_configured", "message": f"{name} is not configured"})
    return channel


def _public_url(request: Request) -> str:
    # Twilio signs the URL it called: the configured public base, not what the proxy handed us
    services = request.app.state.services
    cfg = services.extras.get("channel_settings")
    base = (getattr(cfg, "twilio_public_url", None) or services.settings.base_url).rstrip("/")
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base}{request.url.path}{query}"


async def _receive(request: Request, name: str, background: BackgroundTasks) -> Accepted:
    channel = _channel(request, name)
    body = await request.body()
    wreq = WebhookRequest(body=body, headers={k.lower(): v for k, v in request.headers.items()},
                          url=_public_url(request), query=dict(request.query_params))
    services = request.app.state.services
    try:
        accepted: Accepted = await run_in_threadpool(accept, services, channel, wreq)
    except InvalidSignature as exc:
        raise HTTPException(403, {"code": "invalid_signature", "message": "signature check failed"}) from exc
    except ValueError as exc:  # verified but not JSON / not the provider's shape
        raise HTTPException(400, {"code": "invalid_payload", "message": str(exc)[:200]}) from exc
    # "pump" (default, one-process setups): the adapters' event thread in this process;
    # "background": after the response, on this connection (tests: deterministic); "worker": left to
    # `shopkeeper worker`, which polls the stored events (production: `serve --no-worker` + worker)
    mode = services.extras.get("channel_processing", "pump")
    pump = services.extras.get("channel_pump")
    if accepted.event_ids and mode == "pump" and pump is not None:
        pump.submit(accepted.event_ids)
    elif accepted.event_ids and mode in ("background", "pump"):
        background.add_task(process, services, accepted.event_ids)
    return accepted


def _handshake(request: Request, name: str) -> Response:
    channel: Any = _channel(request, name)
    challenge = channel.handshake(dict(request.query_params))
    if challenge is None:
        raise HTTPException(403, {"code": "invalid_verify_token", "message": "verification failed"})
    return PlainTextResponse(challenge)


@router.get("/whatsapp")
def whatsapp_handshake(request: Request) -> Response:
    return _handshake(request, "whatsapp")


@router.get("/messenger")
def messenger_handshake(request: Request) -> Response:
    return _handshake(request, "messenger")


@router.get("/instagram")
def instagram_handshake(request: Request) -> Response:
    return _handshake(request, "instagram")


def _ok(accepted: Accepted) -> dict[str, int]:
    return {"stored": len(accepted.event_ids), "replays": accepted.replays}


@router.post("/whatsapp")
async def whatsapp(request: Request, background: BackgroundTasks) -> dict[str, int]:
    return _ok(await _receive(request, "whatsapp", background))


@router.post("/messenger")
async def messenger(request: Request, background: BackgroundTasks) -> dict[str, int]:
    return _ok(await _receive(request, "messenger", background))


@router.post("/instagram")
async def instagram(request: Request, background: BackgroundTasks) -> dict[str, int]:
    return _ok(await _receive(request, "instagram", background))


@router.post("/telegram")
async def telegram(request: Request, background: BackgroundTasks) -> dict[str, int]:
    return _ok(await _receive(request, "telegram", background))


@router.post("/twilio")
async def twilio(request: Request, background: BackgroundTasks) -> Response:
    await _receive(request, "sms", background)
    return Response(EMPTY_TWIML, media_type="text/xml")  # we reply through the REST API (one path out)


@router.post("/twilio/status")
async def twilio_status(request: Request, background: BackgroundTasks) -> Response:
    await _receive(request, "sms", background)
    return Response(status_code=204)


@router.get("/l/{token}")
def short_link(token: str, request: Request) -> Response:
    """Short links in SMS bodies (fewer segments); they redirect to the stored URL."""
    from shopkeeper.channels.services import resolve_short_link

    with request.app.state.services.db.session() as session:
        url = resolve_short_link(session, token)
    if url is None:
        raise HTTPException(404, {"code": "link_not_found", "message": "unknown or expired link"})
    return RedirectResponse(url, status_code=302)
