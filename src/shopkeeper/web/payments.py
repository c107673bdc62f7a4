"""Payment HTTP surface without the /api prefix: the demo provider's hosted page (`/pay/{id}` and
its form posts) and the payment webhooks (`/webhooks/payments/demo|stripe`), which verify on the
raw body and answer 400 on a bad signature with nothing stored.

When the shopper clicks, the page builds the signed event a PSP would send and applies it at once
through `handle_webhook` (so one process with no worker confirms the order); only if that does not
complete is the event queued in the outbox, whose worker delivers it to our webhook with retries.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from babel import Locale, UnknownLocaleError
from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from shopkeeper.bootstrap import Services
from shopkeeper.kernel.clock import utcnow
from shopkeeper.payments import (
    INSTALMENTS,
    InvalidSignature,
    PaymentProvider,
    PaymentView,
    find_payment,
    handle_webhook,
    instalment_plan,
)
from shopkeeper.web.deps import get_services
from shopkeeper.web.templating import templates

log = logging.getLogger(__name__)
router = APIRouter(tags=["payments"])

# action on the form -> (demo outcome, method, instalments)
ACTIONS: dict[str, tuple[str, str, int | None]] = {
    "approve": ("succeeded", "card", None),
    "decline": ("failed", "card", None),
    "instalments": ("succeeded", "instalments", INSTALMENTS),
}

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Secure payment", "pay": "Pay", "decline": "Decline",
        "instalments": "Pay in 3 instalments", "plan": "3 instalments",
        "succeeded": "Payment received. Thank you!", "failed": "The payment was declined.",
        "expired": "This payment link has expired.", "refunded": "This payment was refunded.",
        "processing": "Confirming your payment… refresh in a moment.",
        "back": "Return to chat", "demo": "Demo payment page: no real money moves.",
        "today": "today", "in_days": "in {n} days",
    },
    "pl": {
        "title": "Bezpieczna płatność", "pay": "Zapłać", "decline": "Odrzuć",
        "instalments": "Zapłać w 3 ratach", "plan": "3 raty",
        "succeeded": "Płatność przyjęta. Dziękujemy!", "failed": "Płatność została odrzucona.",
        "expired": "Ten link do płatności wygasł.", "refunded": "Ta płatność została zwrócona.",
        "processing": "Potwierdzamy płatność… odśwież za chwilę.",
        "back": "Wróć do czatu", "demo": "Demonstracyjna strona płatności: żadne pieniądze nie są pobierane.",
        "today": "dziś", "in_days": "za {n} dni",
    },
    "sk": {
        "title": "Bezpečná platba", "pay": "Zaplatiť", "decline": "Odmietnuť",
        "instalments": "Zaplatiť v 3 splátkach", "plan": "3 splátky",
        "succeeded": "Platba prijatá. Ďakujeme!", "failed": "Platba bola zamietnutá.",
        "expired": "Platnosť tohto odkazu na platbu vypršala.", "refunded": "Táto platba bola vrátená.",
        "processing": "Potvrdzujeme platbu… o chvíľu obnovte stránku.",
        "back": "Späť do chatu", "demo": "Ukážková platobná stránka: nepresúvajú sa žiadne peniaze.",
        "today": "dnes", "in_days": "o {n} dní",
    },
    "ar": {
        "title": "دفع آمن", "pay": "ادفع", "decline": "رفض",
        "instalments": "ادفع على 3 أقساط", "plan": "3 أقساط",
        "succeeded": "تم استلام الدفعة. شكرًا لك!", "failed": "تم رفض الدفع.",
        "expired": "انتهت صلاحية رابط الدفع هذا.", "refunded": "تم رد هذه الدفعة.",
        "processing": "جارٍ تأكيد الدفع… حدّث الصفحة بعد لحظة.",
        "back": "العودة إلى المحادثة", "demo": "صفحة دفع تجريبية: لا تُنقل أي أموال حقيقية.",
        "today": "اليوم", "in_days": "بعد {n} يومًا",
    },
    "zh": {
        "title": "安全支付", "pay": "支付", "decline": "拒绝",
        "instalments": "分3期付款", "plan": "3期",
        "succeeded": "已收到付款，谢谢！", "failed": "付款被拒绝。",
        "expired": "此付款链接已过期。", "refunded": "此付款已退款。",
        "processing": "正在确认付款……请稍后刷新。",
        "back": "返回聊天", "demo": "演示支付页面：不会产生真实扣款。",
        "today": "今天", "in_days": "{n}天后",
    },
}  # fmt: skip

RTL = frozenset({"ar", "he", "fa", "ur"})
INSTALMENT_EVERY_DAYS = 30


def choose_locale(*candidates: str | None) -> str:
    """The first candidate babel knows ("pl", "zh-Hans-CN" -> "zh_Hans_CN"); English otherwise."""
    for raw in candidates:
        for tag in (raw or "").split(","):
            tag = tag.split(";")[0].strip().replace("-", "_")
            if not tag or tag == "*":
                continue
            try:
                return str(Locale.parse(tag))
            except (UnknownLocaleError, ValueError):
                continue
    return "en"


def page_context(view: PaymentView, locale: str, shop_name: str) -> dict[str, Any]:
    language = locale.split("_")[0]
    texts = TEXTS.get(language, TEXTS["en"])
    expired = view.status == "pending" and view.expires_at is not None and view.expires_at <= utcnow()
    status = "expired" if expired else view.status
    plan = [
        {
            "amount": part.format(locale),
            "when": texts["today"] if i == 0 else texts["in_days"].format(n=i * INSTALMENT_EVERY_DAYS),
        }
        for i, part in enumerate(instalment_plan(view.amount))
    ]
    return {
        "t": texts,
        "lang": language,
        "dir": "rtl" if language in RTL else "ltr",
        "shop_name": shop_name,
        "payment": view,
        "status": status,
        "amount_text": view.amount.format(locale),
        "plan": plan,
        "offers_instalments": "instalments" in view.methods,
        "return_url": "/",  # back to the storefront, where the chat widget lives
    }


@router.get("/pay/{payment_id}", response_class=HTMLResponse, include_in_schema=False)
def pay_page(
    payment_id: str,
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    lang: str | None = None,
    processing: bool = False,
) -> Response:
    with services.db.session() as session:
        view = find_payment(session, payment_id)
    if view is None or view.provider != "demo":
        return HTMLResponse("<!doctype html><title>Not found</title><p>Unknown payment.</p>", status_code=404)
    locale = choose_locale(lang, view.language, request.headers.get("accept-language"))
    context = page_context(view, locale, services.settings.shop_name)
    context["processing"] = processing and context["status"] == "pending"
    return templates.TemplateResponse(request, "pay/page.html", context)


@router.post("/pay/{payment_id}", include_in_schema=False)
def pay_action(
    payment_id: str,
    action: Annotated[str, Form()],
    services: Annotated[Services, Depends(get_services)],
) -> Response:
    demo = services.payment_providers.get("demo")
    with services.db.session() as session:
        view = find_payment(session, payment_id)
    if view is None or view.provider != "demo" or demo is None or action not in ACTIONS:
        return HTMLResponse("<!doctype html><title>Not found</title><p>Unknown payment.</p>", status_code=404)
    back = RedirectResponse(f"/pay/{payment_id}", status_code=303)
    still_open = view.expires_at is None or view.expires_at > utcnow()
    if view.status != "pending" or not still_open:
        return back  # the page shows the outcome; a second click changes nothing
    outcome, method, instalments = ACTIONS[action]
    event = demo.build_event(payment_id, outcome, view.amount, method, instalments)
    body, headers = demo.signed_request(event)
    try:
        result = handle_webhook(services.db, demo, body, headers)
        delivered = result.outcome != "deferred"
    except Exception:
        # e.g. a listener failed and rolled back: the durable outbox retries the same event
        log.exception("demo payment %s: direct notification failed, queued for the worker", payment_id)
        delivered = False
    if not delivered:
        with services.db.session() as session:
            demo.notify(session, event)
        return RedirectResponse(f"/pay/{payment_id}?processing=1", status_code=303)
    return back


@router.post("/webhooks/payments/demo", include_in_schema=False)
async def demo_webhook(request: Request, services: Annotated[Services, Depends(get_services)]) -> Response:
    return await _webhook(request, services, "demo")


@router.post("/webhooks/payments/stripe", include_in_schema=False)
async def stripe_webhook(request: Request, services: Annotated[Services, Depends(get_services)]) -> Response:
    return await _webhook(request, services, "stripe")


async def _webhook(request: Request, services: Services, name: str) -> Response:
    provider: PaymentProvider | None = services.payment_providers.get(name)
    if provider is None:
        return _error(404, "payment_provider_not_found", f"payment provider {name} is not configured")
    body = await request.body()  # the raw bytes: signatures are over exactly these
    headers = dict(request.headers)
    try:
        result = await run_in_threadpool(handle_webhook, services.db, provider, body, headers)
    except InvalidSignature as exc:
        return _error(400, exc.code, str(exc))
    payload = {"outcome": result.outcome, "event_id": result.event_id, "payment_id": result.payment_id}
    return JSONResponse(payload, status_code=result.http_status)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
