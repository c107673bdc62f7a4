"""The dialogue engine: one shopper turn → understanding (buttons skip the NLU) → the right skill,
with pending questions, checkout slot filling and auto-handoff. State in, state out: no globals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy.orm import Session

from shopkeeper import catalog, handoff
from shopkeeper.bots.dialogue import Dialogue
from shopkeeper.bots.model import LANGUAGES, BotContext, BotTurn
from shopkeeper.bots.references import CHEAPER, PRICIER, mentions
from shopkeeper.bots.skills import cart, checkout, faq, orders, product, search, talk
from shopkeeper.channels.messages import InboundMessage

log = logging.getLogger(__name__)

Skill = Callable[[Dialogue], None]

INTENT_SKILLS: dict[str, Skill] = {
    "greet": talk.greet,
    "goodbye": talk.goodbye,
    "thanks": talk.thanks,
    "chitchat": talk.chitchat,
    "search_products": search.search,
    "recommend": search.search,
    "refine_search": search.refine,
    "show_more": search.show_more,
    "product_details": lambda d: product.details(d),
    "product_question": product.question,
    "add_to_cart": cart.add,
    "remove_from_cart": lambda d: cart.remove(d),
    "change_quantity": cart.change_quantity,
    "view_cart": lambda d: cart.show(d),
    "checkout": checkout.start,
    "apply_discount": cart.apply_discount,
    "shipping_question": checkout.shipping_question,
    "order_status": lambda d: orders.status(d),
    "cancel_order": lambda d: orders.cancel(d),
    "human_handoff": lambda d: talk.human(d),
}
# intents that may interrupt checkout slot filling (everything else is read as the answer)
ESCAPES = {"human_handoff": 0.8, "view_cart": 0.9, "cancel_order": 0.9}
MIN_WORDS_ASCII = 4


def _payload_skill(d: Dialogue, command: str, arg: str) -> bool:
    co_pay = {"/ship": lambda: checkout.choose_shipping(d, arg or None), "/pay": lambda: checkout.pay(d)}
    table: dict[str, Callable[[], None]] = {
        "/show_more": lambda: search.show_more(d),
        "/product": lambda: product.details(d, arg or None),
        "/add": lambda: cart.add_variant(d, arg) if arg else cart.add(d),
        "/cart": lambda: cart.show(d),
        "/similar": lambda: product.similar(d, arg or None),
        "/checkout": lambda: checkout.start(d),
        "/remove": lambda: cart.remove(d, arg or None),
        "/order": lambda: orders.status(d, arg or None),
        "/cancel_order": lambda: orders.cancel(d, arg or None, confirmed=True),
        "/human": lambda: talk.human(d),
        "/no": lambda: d.say("ok_anything_else"),
        "/search": lambda: search.run(d, arg, {}, 0, []),
        **co_pay,
    }
    fn = table.get(command)
    if fn is None:
        return False
    fn()
    return True


def _nlu(services: Any) -> Any:
    if services.nlu is None:
        from shopkeeper.bots.nlu import NLU

        services.nlu = NLU.default()
    return services.nlu


def _vocabulary(services: Any, session: Session) -> Any:
    vocab = services.extras.get("catalog_vocabulary")
    if vocab is None:
        from shopkeeper import catalog

        vocab = catalog.vocabulary(session)
        services.extras["catalog_vocabulary"] = vocab
    return vocab


def _languages(services: Any) -> list[str]:
    return [lang for lang in services.settings.languages if lang in LANGUAGES] or ["en"]


@dataclass
class Ahead:
    """Work done before the turn's write transaction: the NLU's reading and a planned search."""

    understanding: Any
    searches: dict[str, Any] = field(default_factory=dict)


def understand_ahead(
    services: Any, inbound: InboundMessage, state: dict[str, Any], language: str | None = None
) -> Ahead | None:
    """The NLU's reading of a typed message — and the search it asks for — computed before the
    turn's write transaction, so CPU-heavy work does not hold SQLite's one write lock. None when it
    must wait for the turn: button payloads, checkout answers, vocabulary not loaded yet."""
    text = (inbound.text or "").strip()
    vocab = services.extras.get("catalog_vocabulary")
    if not text or inbound.payload or text.startswith("/") or vocab is None:
        return None
    if (state.get("checkout") or {}).get("step") in checkout.COLLECTING:
        return None
    u = _nlu(services).parse(
        text, languages=_languages(services), vocabulary=vocab, context_intent=state.get("last_intent")
    )
    ahead = Ahead(u)
    hint = inbound.locale_hint if inbound.locale_hint in LANGUAGES else None
    ctx = BotContext("", "", inbound.channel, language, state)
    # no session: planning a search reads only the state, the text and the understanding
    d = Dialogue(
        services,
        cast(Session, None),
        ctx,
        hint or state.get("lang") or language or services.settings.default_language,
    )
    d.text, d.understanding = text, u
    _choose_language(d, u, hint)
    if not state.get("pending"):
        planned = search.plan(d, _adjust(d, u.intent))
        if planned is not None:
            query, filters, offset, _ = planned
            ahead.searches[search.plan_key(d, query, filters, offset)] = search.execute(
                d, query, filters, offset
            )
    return ahead


def respond(
    services: Any, session: Session, ctx: BotContext, inbound: InboundMessage, understanding: Any = None
) -> BotTurn:
    """The bot's answer to one inbound message (the caller owns the transaction); `understanding`
    may come from `understand_ahead`."""
    with catalog.remembered_reads(session):  # a turn reads the catalog, it never changes it
        return _respond(services, session, ctx, inbound, understanding)


def _respond(
    services: Any, session: Session, ctx: BotContext, inbound: InboundMessage, understanding: Any
) -> BotTurn:
    state = ctx.state
    hint = inbound.locale_hint if inbound.locale_hint in LANGUAGES else None
    language = hint or state.get("lang") or ctx.language or services.settings.default_language
    d = Dialogue(services, session, ctx, language)
    d.text = (inbound.text or "").strip()
    payload = (inbound.payload or (d.text if d.text.startswith("/") else "")).strip()
    if payload:
        command, _, arg = payload.partition(" ")
        if command == "/lang" and arg.strip() in LANGUAGES:
            d.lang = arg.strip()
            d.say("language_set")
            return d.finish()
        d.state["oos"] = 0
        if _payload_skill(d, command, arg.strip()):
            return d.finish()
    if isinstance(understanding, Ahead):
        d.prefetched.update(understanding.searches)
        understanding = understanding.understanding
    _understand(d, hint, understanding)
    _route(d)
    return d.finish()


SLOT = "checkout_answer"  # a pseudo-intent: the text answers the current checkout question
MAX_SLOT_WORDS_WITHOUT_ENTITIES = 4


def _slot_answer(d: Dialogue) -> Any | None:
    """During checkout most texts are names, e-mails and addresses: entity extraction is enough
    (cheap), and the classifier only runs for longer texts that carry none, which may be a change
    of mind ("actually I want to talk to a person")."""
    from shopkeeper.bots.nlu import Understanding, extract

    langs = _languages(d.services)
    entities = extract(
        d.text,
        d.lang,
        tuple(langs),
        _vocabulary(d.services, d.session),
        d.currency,
        d.services.settings.default_country,
    )
    if not entities and len(d.text.split()) > MAX_SLOT_WORDS_WITHOUT_ENTITIES:
        return None
    return Understanding(d.lang, SLOT, 1.0, False, [], entities, d.text)


def _understand(d: Dialogue, hint: str | None, ahead: Any = None) -> None:
    if checkout.active(d):
        slot = _slot_answer(d)
        if slot is not None:
            d.understanding = slot
            return
    u = ahead
    if u is None:
        u = _nlu(d.services).parse(
            d.text,
            languages=_languages(d.services),
            vocabulary=_vocabulary(d.services, d.session),
            context_intent=d.state.get("last_intent"),
        )
    d.understanding = u
    _choose_language(d, u, hint)


def _choose_language(d: Dialogue, u: Any, hint: str | None) -> None:
    # the answer follows the language written in, once the text is enough to tell: short
    # plain-ASCII texts ("apply code X1") are often misread as Slovak or Polish, so they keep it
    words = len(d.text.split())
    telling = not d.text.isascii() or words >= MIN_WORDS_ASCII or (u.language == "en" and words >= 2)
    if not hint and u.language in LANGUAGES and telling and not checkout.active(d):
        d.lang = u.language


def _route(d: Dialogue) -> None:
    u = d.understanding
    intent = u.intent
    pending = d.state.pop("pending", None)
    if isinstance(pending, dict) and pending.get("kind") == "offer_handoff":
        if intent == "affirm":
            talk.human(d, handoff.UNSURE)
            return
        if intent == "deny":
            d.say("ok_anything_else")
            return
    if checkout.active(d) and (intent == SLOT or not (intent in ESCAPES and u.confidence >= ESCAPES[intent])):
        checkout.fill(d)
        return
    intent = _adjust(d, intent)
    d.state["last_intent"] = intent
    if intent == "out_of_scope":
        _out_of_scope(d)
        return
    d.state["oos"] = 0
    if intent in ("faq", "return_request") and faq.answer(d):
        return
    skill = INTENT_SKILLS.get(intent)
    if skill is None:
        if not faq.answer(d):
            talk.not_understood(d)
        return
    skill(d)


def _adjust(d: Dialogue, intent: str) -> str:
    """Entities and context that outweigh the classifier (a bare code, "cheaper" after a list)."""
    if d.entity("discount_code") and intent in ("out_of_scope", "faq", "chitchat"):
        return "apply_discount"
    if intent in ("out_of_scope", "faq", "chitchat") and _names_goods(d):
        return "search_products"  # "black hoodie", "travel backpack": a bare product phrase is a search
    if intent == "out_of_scope" and _catalog_phrase(d):
        return "search_products"  # "desk lamp": the merchant's own words, even where no entity names them
    has_results = bool(d.state.get("results"))
    pointing = d.entity("ordinal") is not None or d.entity("reference") is not None
    if (
        (has_results or d.focus_product)
        and pointing
        and intent in ("search_products", "refine_search", "out_of_scope", "product_details", "chitchat")
    ):
        # "the first one in 43" picks from the list; a bare "the second one" opens it
        return "add_to_cart" if d.entity("size") is not None else "product_details"
    if (
        has_results
        and (mentions(d.text, CHEAPER) or mentions(d.text, PRICIER))
        and intent in ("out_of_scope", "search_products", "chitchat", "refine_search", "product_details")
        and d.entity("ordinal") is None
    ):
        return "refine_search"
    if (
        d.focus_product
        and d.text.endswith(("?", "？", "؟"))
        and intent in ("out_of_scope", "faq", "search_products")
    ):
        faq_hit = faq.index_for(d.services).rank(d.text, d.lang)
        if not faq_hit or faq_hit[0][1] < faq.MIN_SCORE * 2:
            return "product_question"
    return intent


BARE_PHRASE_MAX_WORDS = 4


def _bare_phrase(d: Dialogue) -> bool:
    """A short phrase, not a question."""
    return not d.text.rstrip().endswith(("?", "？", "؟")) and len(d.text.split()) <= BARE_PHRASE_MAX_WORDS


def _names_goods(d: Dialogue) -> bool:
    """A short phrase, not a question, that names a category, brand, colour or size."""
    kinds = ("category", "brand", "color", "size")
    return _bare_phrase(d) and any(d.entity(kind) is not None for kind in kinds)


def _catalog_phrase(d: Dialogue) -> bool:
    """A short phrase, not a question, made of words the catalog itself uses."""
    if not _bare_phrase(d):
        return False
    service = search.search_service(d.services)
    names_goods = getattr(service, "names_goods", None)
    return bool(names_goods and names_goods(d.text, d.lang))


def _out_of_scope(d: Dialogue) -> None:
    if faq.answer(d):
        d.state["oos"] = 0
        return
    streak = int(d.state.get("oos", 0)) + 1
    d.state["oos"] = streak
    policy = d.services.extras.get("handoff_policy") or handoff.HandoffPolicy()
    if handoff.escalation_reason(policy, out_of_scope_streak=streak) == handoff.OUT_OF_SCOPE:
        d.state["oos"] = 0
        talk.human(d, handoff.OUT_OF_SCOPE)
        return
    talk.not_understood(d)
