"""Checkout by conversation: collect name, e-mail or phone, and address (validated by checkout, with
corrections in the shopper's language), choose shipping, place the order and send the payment
request; plus shipping-and-tax questions for a country/postcode. The step lives in dialogue state."""

from __future__ import annotations

import re
from typing import Any

from shopkeeper import cart, checkout, handoff
from shopkeeper.bots import formatting as fmt
from shopkeeper.bots.dialogue import Dialogue
from shopkeeper.bots.skills.cart import show
from shopkeeper.channels.messages import Button, PaymentRequest, QuickReplies
from shopkeeper.kernel.errors import DomainError

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
POSTCODE = re.compile(r"\b(\d{2}-\d{3}|\d{3} ?\d{2}|\d{4,6}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b", re.I)


def _co(d: Dialogue) -> dict[str, Any]:
    co = d.state.get("checkout")
    if not isinstance(co, dict):
        co = {}
        d.state["checkout"] = co
    return co


COLLECTING = ("name", "contact", "address", "shipping")  # after these the order exists


def active(d: Dialogue) -> bool:
    """True while the bot is waiting for a checkout answer (name, contact, address, shipping)."""
    return (d.state.get("checkout") or {}).get("step") in COLLECTING


def start(d: Dialogue) -> None:
    view = cart.get_cart(d.session, d.cart_id())
    if not view.lines:
        d.say("cart_empty")
        return
    totals = checkout.quote(d.session, view.id)
    policy = d.services.extras.get("handoff_policy") or handoff.HandoffPolicy()
    if handoff.escalation_reason(policy, cart_total=totals.total) == handoff.HIGH_VALUE:
        d.say("handoff_high_value")
        d.hand_off(handoff.HIGH_VALUE, f"cart total {totals.total}")
        return
    co = _co(d)
    co.clear()
    co["step"] = "name"
    if d.ctx.customer_name:
        co["name"] = d.ctx.customer_name
        co["step"] = "contact"
        d.say("checkout_ask_contact", name=d.ctx.customer_name)
        return
    d.say("checkout_ask_name")


def _fail_text(d: Dialogue, exc: checkout.ValidationFailed) -> str:
    codes = getattr(exc, "codes", {}) or {}
    texts = []
    for fld, message in exc.errors.items():
        key = f"invalid_{codes.get(fld, '')}"
        texts.append(d.tr(key) if _has(d, key) else message)
    return "\n".join(texts)


def _has(d: Dialogue, key: str) -> bool:
    from shopkeeper.bots.phrases import catalog as texts

    return key in texts(d.lang) or key in texts("en")


def fill(d: Dialogue) -> None:
    """The shopper answered the current checkout question."""
    co = _co(d)
    step = co.get("step")
    text = d.text.strip()
    if step == "name":
        try:
            checkout.validate_contact(text, "name-check@example.com", None)
        except checkout.ValidationFailed as exc:
            d.add_text(_fail_text(d, exc))
            return
        co["name"], co["step"] = " ".join(text.split()), "contact"
        d.say("checkout_ask_contact", name=co["name"])
    elif step == "contact":
        _contact(d, co, text)
    elif step == "address":
        _address(d, co, text)
    elif step == "shipping":
        choose_shipping(d, None)
    elif step == "pay":
        pay(d)


def _contact(d: Dialogue, co: dict[str, Any], text: str) -> None:
    email = d.entity("email") or (m.group(0) if (m := EMAIL.search(text)) else None)
    phone = d.entity("phone") or (m.group(0) if not email and (m := PHONE.search(text)) else None)
    if not email and not phone:
        email = text  # let checkout say what is wrong with it
    try:
        contact = checkout.validate_contact(co["name"], email, phone, d.services.settings.default_country)
    except checkout.ValidationFailed as exc:
        d.add_text(_fail_text(d, exc))
        return
    co.update({"email": contact.email, "phone": contact.phone, "step": "address"})
    d.say("checkout_ask_address")


def _parse_address(d: Dialogue, text: str) -> dict[str, str | None]:
    parts = [p.strip() for p in re.split(r"[,\n;]+", text) if p.strip()]
    country = d.entity("country")
    postcode = d.entity("postcode")
    line1 = parts[0] if parts else ""
    city = ""
    for p in parts[1:]:
        m = POSTCODE.search(p)
        if m:
            postcode = postcode or m.group(0)
            city = (p[: m.start()] + p[m.end() :]).strip(" ,")
            break
    if not city and len(parts) >= 2:
        city = parts[1]
    if not country and len(parts) >= 3:
        country = parts[-1]
    return {
        "line1": line1,
        "city": city,
        "postcode": str(postcode) if postcode else None,
        "country": str(country) if country else d.services.settings.default_country,
    }


def _address(d: Dialogue, co: dict[str, Any], text: str) -> None:
    fields = _parse_address(d, text)
    try:
        address = checkout.validate_address(
            co["name"],
            fields["line1"],
            fields["city"],
            fields["postcode"],
            fields["country"],
            phone=co.get("phone"),
        )
    except checkout.ValidationFailed as exc:
        d.add_text(_fail_text(d, exc))
        d.say("checkout_address_again")
        return
    co["address"] = address.to_json()
    co["step"] = "shipping"
    _offer_shipping(d, address)


def _eta(d: Dialogue, option: Any) -> str:
    return d.tr("eta_days", days=fmt.days_range(option.eta_days[0], option.eta_days[1], d.lang))


def _offer_shipping(d: Dialogue, address: Any) -> None:
    dest = checkout.Destination(address.country, address.postcode, address.region)
    options = checkout.shipping_options(d.session, d.cart_id(), dest)
    if not options:
        d.say("shipping_unavailable", country=address.country)
        _co(d)["step"] = "address"
        return
    buttons = [
        Button(
            title=f"{o.name} · {fmt.money(o.price, d.lang)} · "
            f"{d.tr('eta_days', days=fmt.days_range(o.eta_days[0], o.eta_days[1], d.lang))}",
            payload=f"/ship {o.id}",
        )
        for o in options
    ]
    d.add(QuickReplies(text=d.tr("checkout_choose_shipping"), options=buttons))


def _address_obj(co: dict[str, Any]) -> Any:
    a = co["address"]
    return checkout.validate_address(
        a["name"],
        a["line1"],
        a["city"],
        a.get("postcode"),
        a["country"],
        line2=a.get("line2"),
        region=a.get("region"),
        phone=a.get("phone"),
    )


def choose_shipping(d: Dialogue, method_id: str | None) -> None:
    co = _co(d)
    if not co.get("address"):
        if not co.get("step"):
            start(d)
        else:
            fill(d)
        return
    address = _address_obj(co)
    options = checkout.shipping_options(
        d.session, d.cart_id(), checkout.Destination(address.country, address.postcode, address.region)
    )
    ordinal = d.entity("ordinal")
    if method_id is None and isinstance(ordinal, int) and 1 <= ordinal <= len(options):
        method_id = options[ordinal - 1].id
    if method_id is None and len(options) == 1:
        method_id = options[0].id
    if method_id not in {o.id for o in options}:
        _offer_shipping(d, address)
        return
    contact = checkout.Contact(name=co["name"], email=co.get("email"), phone=co.get("phone"))
    try:
        order = checkout.place_order(d.session, d.cart_id(), contact, address, str(method_id))
    except DomainError as exc:
        d.say("checkout_failed", reason=exc.code)
        show(d)
        return
    co.update({"step": "pay", "shipping_method_id": method_id, "order_id": order.id})
    d.state.pop("cart_id", None)
    from shopkeeper.bots.cards import order_summary

    d.say("checkout_order_placed", number=order.number)
    d.add(order_summary(order, d.lang))
    pay(d)


def pay(d: Dialogue) -> None:
    co = _co(d)
    order_id = co.get("order_id")
    if not order_id:
        start(d)
        return
    provider = d.services.payment_provider
    return_url = f"{d.services.settings.base_url}/?order={order_id}"
    try:
        payment = checkout.start_payment(d.session, order_id, provider, return_url, language=d.lang)
    except DomainError as exc:
        d.say("checkout_failed", reason=exc.code)
        return
    d.say("checkout_pay", amount=d.money(payment.amount))
    d.add(
        PaymentRequest(
            payment_id=payment.id,
            amount_minor=payment.amount.amount_minor,
            currency=payment.amount.currency,
            amount_text=d.money(payment.amount),
            url=payment.url,
            methods=list(getattr(payment, "methods", []) or []),
            expires_at=getattr(payment, "expires_at", None),
        )
    )


def shipping_question(d: Dialogue) -> None:
    """Shipping options and tax for a country/postcode (for the current cart)."""
    country = d.entity("country") or (d.state.get("destination") or {}).get("country")
    if not country:
        d.say("shipping_which_country")
        return
    postcode = d.entity("postcode")
    d.state["destination"] = {"country": country, "postcode": postcode}
    view = cart.get_cart(d.session, d.cart_id())
    if not view.lines:
        d.say("shipping_needs_cart")
        return
    dest = checkout.Destination(str(country), str(postcode) if postcode else None, None)
    options = checkout.shipping_options(d.session, view.id, dest)
    if not options:
        d.say("shipping_unavailable", country=country)
        return
    lines = [f"• {o.name}: {fmt.money(o.price, d.lang)} ({_eta(d, o)})" for o in options]
    totals = checkout.quote(d.session, view.id, dest, options[0].id)
    d.add_text(d.tr("shipping_options", country=country) + "\n" + "\n".join(lines))
    key = "tax_included" if totals.tax_inclusive else "tax_added"
    d.add_text(d.tr(key, tax=d.money(totals.tax)) + " · " + d.tr("total_is", total=d.money(totals.total)))
