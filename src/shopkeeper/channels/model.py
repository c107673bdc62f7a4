"""Pure channel rules: delivery-status ordering, messaging windows, opt-out keywords, SMS segment
counting (GSM-7 vs UCS-2). No I/O, no database, no provider formats."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

# -- delivery statuses: forward only ------------------------------------------------------------
# failed and read are both terminal; a late "delivered" never overwrites "read" (research §1.0.5)
STATUS_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 3}


def status_advances(current: str | None, new: str) -> bool:
    """True if moving from `current` to `new` goes forward."""
    if new not in STATUS_RANK:
        return False
    if current is None:
        return True
    return STATUS_RANK[new] > STATUS_RANK.get(current, -1)


# -- messaging windows --------------------------------------------------------------------------
STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
WINDOWED = {"whatsapp", "twilio_whatsapp", "messenger", "instagram"}
HUMAN_AGENT_TAG_CHANNELS = {"messenger", "instagram"}


@dataclass(frozen=True)
class SendDecision:
    allowed: bool
    mode: Literal["free", "human_agent_tag", "template", "refused"]
    reason: str = ""


def decide_send(
    channel: str,
    *,
    last_inbound_at: datetime | None,
    now: datetime,
    sender: str,
    has_template: bool = False,
    opted_out: bool = False,
    is_keyword_reply: bool = False,
) -> SendDecision:
    """The sending rules of research §1.0.6 and §1.2/§1.3, in one place."""
    if opted_out and not is_keyword_reply:
        return SendDecision(False, "refused", "opted_out: the customer sent STOP on this channel")
    if channel not in WINDOWED:
        return SendDecision(True, "free")
    age = None if last_inbound_at is None else now - last_inbound_at
    if age is not None and age < STANDARD_WINDOW:
        return SendDecision(True, "free")
    if channel in HUMAN_AGENT_TAG_CHANNELS and age is not None and age < HUMAN_AGENT_WINDOW:
        if sender == "agent":
            return SendDecision(True, "human_agent_tag")
        return SendDecision(
            False,
            "refused",
            "window_closed: past 24 h only a human agent may reply (HUMAN_AGENT tag, 7 days)",
        )
    if channel in ("whatsapp", "twilio_whatsapp") and has_template:
        return SendDecision(True, "template")
    if channel in ("whatsapp", "twilio_whatsapp"):
        return SendDecision(
            False, "refused", "window_closed: outside 24 h WhatsApp allows only approved templates"
        )
    return SendDecision(False, "refused", "window_closed: the 24 h messaging window has closed")


# -- STOP / START / HELP -------------------------------------------------------------------------
Keyword = Literal["stop", "start", "help"]

# Twilio's standard English set (research §1.5) plus equivalents in the merchant's languages.
KEYWORDS: dict[str, dict[Keyword, tuple[str, ...]]] = {
    "en": {
        "stop": ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt out"),
        "start": ("start", "yes", "unstop", "subscribe"),
        "help": ("help", "info"),
    },
    "pl": {
        "stop": ("stop", "koniec", "wypisz", "rezygnuję"),
        "start": ("start", "zapisz"),
        "help": ("pomoc",),
    },
    "de": {"stop": ("stopp", "abmelden", "austragen"), "start": ("anmelden",), "help": ("hilfe",)},
    "fr": {"stop": ("arret", "arrêt", "desabonner", "désabonner"), "start": ("abonner",), "help": ("aide",)},
    "es": {"stop": ("parar", "baja", "cancelar"), "start": ("alta", "empezar"), "help": ("ayuda",)},
    "sk": {"stop": ("odhlásiť", "odhlasit", "koniec"), "start": ("prihlásiť",), "help": ("pomoc",)},
    "ar": {"stop": ("توقف", "إلغاء"), "start": ("ابدأ",), "help": ("مساعدة",)},
    "zh": {"stop": ("退订", "停止"), "start": ("订阅",), "help": ("帮助",)},
}

KEYWORD_TEXTS: dict[Keyword, dict[str, str]] = {
    "stop": {
        "en": "You're unsubscribed and won't get more messages here. Reply START to come back.",
        "pl": "Wypisano Cię. Nie dostaniesz więcej wiadomości. Odpisz START, aby wrócić.",
        "de": "Du bist abgemeldet und bekommst keine Nachrichten mehr. Antworte START, um zurückzukommen.",
    },
    "start": {
        "en": "You're subscribed again. Reply STOP to unsubscribe, HELP for help.",
        "pl": "Subskrypcja wznowiona. Odpisz STOP, aby się wypisać, POMOC po pomoc.",
        "de": "Du bist wieder angemeldet. Antworte STOPP zum Abmelden, HILFE für Hilfe.",
    },
    "help": {
        "en": "{shop}: ask me about products, your cart or orders. Reply STOP to unsubscribe.",
        "pl": "{shop}: pytaj o produkty, koszyk lub zamówienia. Odpisz STOP, aby się wypisać.",
        "de": "{shop}: frag mich nach Produkten, Warenkorb oder Bestellungen. STOPP zum Abmelden.",
    },
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text.strip().lower())
    return re.sub(r"[\s.!¡?¿。！]+$", "", text)


def match_keyword(text: str, languages: list[str]) -> tuple[Keyword, str] | None:
    """A whole-message keyword (case and trailing punctuation ignored) → (keyword, language).

    Only the whole message counts: "stop sending me shoes" is a bot utterance, not an opt-out."""
    folded = _fold(text)
    if not folded or len(folded) > 20:
        return None
    for lang in ["en", *[lg for lg in languages if lg != "en"]]:
        for kw, words in KEYWORDS.get(lang, {}).items():
            if folded in words:
                return kw, lang
    return None


def keyword_text(kw: Keyword, language: str, shop: str) -> str:
    texts = KEYWORD_TEXTS[kw]
    return texts.get(language, texts["en"]).format(shop=shop)


# -- SMS segments ---------------------------------------------------------------------------------
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each costs two septets (escape + char)


@dataclass(frozen=True)
class SegmentInfo:
    encoding: Literal["GSM-7", "UCS-2"]
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def count_segments(text: str) -> SegmentInfo:
    """How many SMS parts a body costs: GSM-7 160 single / 153 concatenated; UCS-2 70 / 67."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, enc = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2  # emoji outside the BMP take two units
        single, multi, enc = 70, 67, "UCS-2"
    segments = 1 if units <= single else math.ceil(units / multi)
    return SegmentInfo(enc, units, segments)  # type: ignore[arg-type]


# Characters often typed by bots that silently force UCS-2; their GSM-7 look-alikes keep SMS cheap.
GSM_FRIENDLY = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "•": "-",
        "\u00a0": " ",
        "×": "x",
    }
)


def gsm_friendly(text: str) -> str:
    return text.translate(GSM_FRIENDLY)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    return text if len(text) <= limit else text[: max(limit - len(ellipsis), 0)].rstrip() + ellipsis


def truncate_bytes(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit].decode(errors="ignore")


def split_text(text: str, limit: int) -> list[str]:
    """Split a long text at paragraph/line/word boundaries into chunks of at most `limit` chars."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= limit // 2:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks
