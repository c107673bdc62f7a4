"""Product details (description, options, stock per variant, rating and review snippets, similar
items), questions about a product answered from its data, and choosing a variant by words."""

from __future__ import annotations

from typing import Any

from shopkeeper import catalog, inventory
from shopkeeper.bots import formatting as fmt
from shopkeeper.bots.cards import product_card, stock_text
from shopkeeper.bots.dialogue import Dialogue
from shopkeeper.bots.references import mentions_option, pick_item
from shopkeeper.channels.messages import Button, ButtonsPart, Carousel, ImagePart, QuickReplies

DESCRIPTION_CHARS = 420
MAX_VARIANT_BUTTONS = 8


def _view(d: Dialogue, product_id: str) -> Any | None:
    try:
        return catalog.localized(catalog.get_product(d.session, product_id), d.lang)
    except catalog.ProductNotFound:
        return None


def target_product(d: Dialogue) -> str | None:
    item = pick_item(d.items, d.understanding, d.text, d.focus_product)
    return item.product_id if item else None


def details(d: Dialogue, product_id: str | None = None) -> None:
    from_words = product_id is None
    product_id = product_id or target_product(d)
    view = _view(d, product_id) if product_id else None
    if view is None:
        d.say("product_which")
        return
    if from_words and len(view.variants) > 1 and mentions_option(view.variants, d.understanding, d.text):
        from shopkeeper.bots.skills.cart import add

        add(d)  # "the second one in M" picks the product and the variant: straight to the cart
        return
    d.focus(view.id, view.variants[0].id if len(view.variants) == 1 else None)
    stock = inventory.available(d.session, [v.id for v in view.variants])
    if view.images:
        d.add(ImagePart(url=view.images[0], caption=view.title))
    text = (
        view.description
        if len(view.description) <= DESCRIPTION_CHARS
        else view.description[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
    )
    d.add_text(f"{view.title}\n{text}")
    lines = []
    for v in view.variants:
        label = v.title or ", ".join(f"{val}" for val in v.options.values()) or view.title
        lines.append(f"• {label}: {fmt.money(v.price, d.lang)} — {stock_text(stock.get(v.id, 0), d.lang)}")
    d.add_text(d.tr("product_variants") + "\n" + "\n".join(lines))
    if view.rating is not None and view.review_count:
        d.say(
            "product_rating",
            rating=fmt.number(round(float(view.rating), 1), d.lang),
            count=fmt.number(view.review_count, d.lang),
        )
        reviews = sorted(view.reviews, key=lambda r: (r.language != d.lang, -len(r.body)))
        for r in reviews[:2]:
            d.add_text(f"“{r.title or r.body[:80]}” — {r.author} ({'★' * int(r.rating)})")
    buttons = [
        Button(title=(v.title or view.title)[:40], payload=f"/add {v.id}")
        for v in _wanted_first(view.variants, d.state.get("results") or {})
        if stock.get(v.id, 0) > 0
    ][:MAX_VARIANT_BUTTONS]
    if buttons:
        d.add(ButtonsPart(text=d.tr("product_pick_variant"), buttons=buttons))
    else:
        d.say("product_sold_out")
    # similar items on request: computing them costs more than the rest of the turn together
    d.add(
        QuickReplies(
            text=d.tr("product_more_like_this"),
            options=[Button(title=d.tr("btn_similar"), payload=f"/similar {view.id}")],
        )
    )
    d.track("product_viewed", {"product_id": view.id})
    d.state["last_skill"] = "product"


def _wanted_first(variants: list[Any], results: dict[str, Any]) -> list[Any]:
    """Variants in the size/colour the shopper searched for come first: with only a few buttons
    to show, "boots in 43" must offer the 43s."""
    filters = results.get("filters") or {}
    wanted = {str(x).lower() for key in ("sizes", "colors") for x in filters.get(key) or []}
    if not wanted:
        return list(variants)

    def misses(v: Any) -> int:
        values = {str(x).lower() for x in (v.options or {}).values()}
        return len(wanted - values)

    return sorted(variants, key=misses)  # stable: catalog order within equal matches


def similar(d: Dialogue, product_id: str | None = None) -> None:
    """Similar items from the recommendations service (the "/similar <product id>" button)."""
    product_id = product_id or d.focus_product
    if not product_id or not _similar(d, product_id):
        d.say("product_no_similar")


def _similar(d: Dialogue, product_id: str) -> bool:
    ids = [i for i in d.recommended("similar", product_id, limit=4) if i != product_id]
    views = [v for v in (_view(d, str(i)) for i in ids) if v is not None]
    if views:
        stock = inventory.available(d.session, [v.id for view in views for v in view.variants])
        d.say("product_similar")
        d.add(Carousel(cards=[product_card(v, stock, d.lang) for v in views]))
    return bool(views)


def question(d: Dialogue) -> None:
    product_id = d.focus_product or target_product(d)
    if not product_id:
        d.say("product_which")
        return
    answer = catalog.answer_question(d.session, product_id, d.text, d.lang)
    if answer.answer is None:
        d.state["pending"] = {"kind": "offer_handoff", "note": d.text[:300]}
        d.suggest("product_dont_know", [("btn_yes_colleague", "/human"), ("btn_no_thanks", "/no")])
        return
    d.add_text(answer.answer)


def choose_variant(d: Dialogue, view: Any) -> Any | None:
    """The variant the shopper described, or None after asking which one (with buttons)."""
    from shopkeeper.bots.references import pick_variant, variant_candidates

    variant = pick_variant(view.variants, d.understanding, d.text, d.focus_variant)
    if variant is not None:
        return variant
    candidates = variant_candidates(view.variants, d.understanding, d.text)
    stock = inventory.available(d.session, [v.id for v in candidates])
    buttons = [
        Button(title=(v.title or view.title)[:40], payload=f"/add {v.id}")
        for v in candidates
        if stock.get(v.id, 0) > 0
    ][:MAX_VARIANT_BUTTONS]
    d.focus(view.id, None)
    if buttons:
        d.add(ButtonsPart(text=d.tr("product_which_variant", title=view.title), buttons=buttons))
    else:
        d.say("product_sold_out")
    return None


def view_of(d: Dialogue, product_id: str) -> Any | None:
    return _view(d, product_id)
