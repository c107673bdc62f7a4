"""The demo storefront: `GET /` (shop name, featured products, categories, the chat widget, a link to
the API docs) and `GET /products/{handle}`. Thin: reads through `shopkeeper.catalog` and
`shopkeeper.inventory` public functions only, renders Jinja2 templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from shopkeeper import catalog, inventory
from shopkeeper.bootstrap import Services
from shopkeeper.web.deps import get_services
from shopkeeper.web.templating import templates

router = APIRouter(include_in_schema=False)

LANGUAGES = {"en": "English", "pl": "Polski", "ar": "العربية", "zh": "中文", "sk": "Slovenčina"}
LOCALES = {"en": "en_IE", "pl": "pl_PL", "ar": "ar", "zh": "zh_Hans_CN", "sk": "sk_SK"}
# the demo catalog's products behind the example requests; other catalogs show none of these
FEATURED_HANDLES = (
    "alpenwerk-ridgeline-mid-gtx-waterproof-hiking-boots",
    "costa-sol-rosa-wrap-midi-dress",
    "sonara-airpulse-pro-wireless-bluetooth-earbuds",
    "nike-swiftstride-3-lightweight-running-shoes",
    "urbanpack-commuter-25-waterproof-laptop-backpack",
    "little-fox-polar-cub-warm-toddler-snowsuit",
    "mira-co-sienna-midi-dress",
    "trailcraft-tatra-trek-waterproof-hiking-boots",
)
# what a newcomer can type, one per language (the requests the bot is built around)
EXAMPLES = (
    ("en", "waterproof hiking boots under 120 euros, size 43"),
    ("pl", "pokaż czerwone sukienki do 200 zł"),
    ("zh", "我想买一个蓝牙耳机"),
    ("ar", "أريد سماعات لاسلكية متوافقة مع iPhone"),
    ("sk", "teplé oblečenie pre batoľa do 30 eur"),
    ("en", "what is your return policy?"),
)
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "tagline": "Shop by chatting: ask in your own words, in your own language.",
        "featured": "Featured",
        "categories": "Shop by category",
        "try": "Try asking",
        "api": "API docs",
        "ask": "Ask the assistant",
        "reviews": "reviews",
        "in_stock": "in stock",
        "sold_out": "sold out",
        "options": "Options",
        "back": "All products",
        "open_chat": "Chat to buy",
        "show": "show me",
    },
    "pl": {
        "tagline": "Kupuj na czacie: pytaj własnymi słowami, we własnym języku.",
        "featured": "Polecane",
        "categories": "Kategorie",
        "try": "Zapytaj na przykład",
        "api": "Dokumentacja API",
        "ask": "Zapytaj asystenta",
        "reviews": "opinii",
        "in_stock": "dostępne",
        "sold_out": "wyprzedane",
        "options": "Warianty",
        "back": "Wszystkie produkty",
        "open_chat": "Kup na czacie",
        "show": "pokaż",
    },
    "sk": {
        "tagline": "Nakupujte v chate: pýtajte sa vlastnými slovami, vo svojom jazyku.",
        "featured": "Odporúčané",
        "categories": "Kategórie",
        "try": "Skúste sa opýtať",
        "api": "Dokumentácia API",
        "ask": "Opýtajte sa asistenta",
        "reviews": "recenzií",
        "in_stock": "skladom",
        "sold_out": "vypredané",
        "options": "Varianty",
        "back": "Všetky produkty",
        "open_chat": "Kúpiť v chate",
        "show": "ukáž",
    },
    "ar": {
        "tagline": "تسوّق بالمحادثة: اسأل بكلماتك وبلغتك.",
        "featured": "منتجات مميزة",
        "categories": "الفئات",
        "try": "جرّب أن تسأل",
        "api": "توثيق واجهة البرمجة",
        "ask": "اسأل المساعد",
        "reviews": "تقييمات",
        "in_stock": "متوفر",
        "sold_out": "نفد",
        "options": "الخيارات",
        "back": "كل المنتجات",
        "open_chat": "اشترِ عبر المحادثة",
        "show": "أرني",
    },
    "zh": {
        "tagline": "聊着天就能购物：用您自己的话、自己的语言提问。",
        "featured": "精选商品",
        "categories": "商品分类",
        "try": "试着问问",
        "api": "API 文档",
        "ask": "咨询助手",
        "reviews": "条评价",
        "in_stock": "有货",
        "sold_out": "已售罄",
        "options": "规格",
        "back": "全部商品",
        "open_chat": "在聊天中购买",
        "show": "看看",
    },
}


@dataclass(frozen=True)
class Tile:
    """A product as the storefront shows it (already localized and formatted)."""

    handle: str
    title: str
    brand: str | None
    category: str | None
    image: str | None
    price_text: str
    compare_at_text: str | None
    rating: float | None
    review_count: int


def _language(request: Request, services: Services, lang: str | None) -> str:
    if lang in LANGUAGES:
        return str(lang)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    default = services.settings.default_language
    return default if default in LANGUAGES else "en"


def _tile(view: catalog.ProductView, language: str) -> Tile:
    shown = catalog.localized(view, language)
    cheapest = min(view.variants, key=lambda v: v.price.amount_minor) if view.variants else None
    locale = LOCALES[language]
    return Tile(
        handle=view.handle,
        title=shown.title,
        brand=view.brand,
        category=view.category,
        image=view.images[0] if view.images else None,
        price_text=cheapest.price.format(locale) if cheapest else "",
        compare_at_text=cheapest.compare_at.format(locale) if cheapest and cheapest.compare_at else None,
        rating=view.rating,
        review_count=view.review_count,
    )


def _page(request: Request, name: str, language: str, services: Services, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        name,
        {
            "lang": language,
            "dir": "rtl" if language == "ar" else "ltr",
            "t": TEXTS[language],
            "languages": LANGUAGES,
            "shop_name": services.settings.shop_name,
            **context,
        },
    )


@router.get("/", response_class=HTMLResponse)
def storefront(
    request: Request, lang: str | None = None, services: Services = Depends(get_services)
) -> HTMLResponse:
    language = _language(request, services, lang)
    with services.db.read_session() as session:  # never waits for a writer
        views = [v for v in (catalog.find_product_by_handle(session, h) for h in FEATURED_HANDLES) if v]
        tiles = [_tile(v, language) for v in views]
        categories = catalog.vocabulary(session).categories
    return _page(
        request,
        "storefront/index.html",
        language,
        services,
        tiles=tiles,
        categories=categories,
        examples=EXAMPLES,
    )


@router.get("/products/{handle}", response_class=HTMLResponse)
def product_page(
    request: Request, handle: str, lang: str | None = None, services: Services = Depends(get_services)
) -> HTMLResponse:
    language = _language(request, services, lang)
    with services.db.read_session() as session:  # never waits for a writer
        view = catalog.find_product_by_handle(session, handle)
        if view is None:
            raise HTTPException(404, detail={"code": "product_not_found", "message": handle})
        stock = inventory.available(session, [v.id for v in view.variants])
    locale = LOCALES[language]
    variants = [
        {
            "title": v.title,
            "price_text": v.price.format(locale),
            "stock": stock.get(v.id, 0),
            "compare_at_text": v.compare_at.format(locale) if v.compare_at else None,
        }
        for v in view.variants
    ]
    shown = catalog.localized(view, language)
    return _page(
        request,
        "storefront/product.html",
        language,
        services,
        product=view,
        shown=shown,
        tile=_tile(view, language),
        variants=variants,
        reviews=view.reviews[:6],
    )
