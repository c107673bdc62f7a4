"""Training examples: the shipped YAML files, folders of `seq.in` + `label` (one utterance per line),
and the Bitext customer-support CSV mapped onto our commerce intents (read from a path, never copied)."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml

from .errors import TrainingDataInvalid

Example = tuple[str, str, str | None]  # (text, intent, language or None)

SHIPPED_LANGUAGES = ("en", "pl", "ar", "zh", "sk")

# Bitext intent -> ours; unmapped intents (accounts, invoices, newsletter...) are left out
BITEXT_INTENTS: dict[str, str] = {
    "cancel_order": "cancel_order",
    "track_order": "order_status",
    "get_refund": "return_request",
    "track_refund": "return_request",
    "delivery_period": "faq",
    "check_payment_methods": "faq",
    "check_refund_policy": "faq",
    "check_cancellation_fee": "faq",
    "delivery_options": "shipping_question",
    "contact_human_agent": "human_handoff",
    "contact_customer_service": "human_handoff",
    "place_order": "checkout",
}


def load_yaml(path: str | Path) -> list[Example]:
    """`language: xx` + `intents: {intent: [examples]}`; a file may also hold `examples: [{text, intent}]`."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return _from_document(doc, str(path))


def _from_document(doc: dict[str, object], where: str) -> list[Example]:
    if not isinstance(doc, dict):
        raise TrainingDataInvalid(f"{where}: expected a mapping at the top")
    language = doc.get("language")
    lang = str(language) if language else None
    out: list[Example] = []
    intents = doc.get("intents") or {}
    if not isinstance(intents, dict):
        raise TrainingDataInvalid(f"{where}: `intents` must map intent names to lists")
    for intent, texts in intents.items():
        for text in texts or ():
            if isinstance(text, bool):  # YAML 1.1 reads a bare yes/no/on/off as a boolean
                raise TrainingDataInvalid(f"{where}: {intent}: quote yes/no/on/off examples ('yes')")
            out.append((str(text), str(intent), lang))
    for item in doc.get("examples") or ():  # type: ignore[attr-defined]
        out.append((str(item["text"]), str(item["intent"]), item.get("language", lang)))
    return out


def load_folder(path: str | Path, language: str | None = None) -> list[Example]:
    """A split folder with line-aligned `seq.in` and `label`."""
    folder = Path(path)
    texts = _lines(folder / "seq.in")
    labels = _lines(folder / "label")
    if len(texts) != len(labels):
        raise TrainingDataInvalid(f"{folder}: {len(texts)} utterances but {len(labels)} labels")
    return [(t, lab.strip(), language) for t, lab in zip(texts, labels, strict=True) if t.strip()]


def _lines(path: Path) -> list[str]:
    if not path.exists():
        raise TrainingDataInvalid(f"missing {path}")
    return path.read_text(encoding="utf-8").splitlines()


def load_any(path: str | Path) -> list[Example]:
    """A YAML file, a split folder, or a directory holding YAML files and/or split folders."""
    target = Path(path)
    if target.is_file():
        return load_yaml(target)
    if (target / "seq.in").exists():
        return load_folder(target, _language_of(target))
    examples: list[Example] = []
    for child in sorted(target.iterdir()):
        if child.suffix in (".yml", ".yaml") or (child.is_dir() and (child / "seq.in").exists()):
            examples.extend(load_any(child))
    if not examples:
        raise TrainingDataInvalid(f"{target}: no seq.in/label folders or YAML files found")
    return examples


def _language_of(folder: Path) -> str | None:
    # benchmarks/data/nlu/<lang>/ folders name their language
    return folder.name if folder.name in SHIPPED_LANGUAGES else None


def shipped_examples(languages: Iterable[str] = SHIPPED_LANGUAGES) -> list[Example]:
    out: list[Example] = []
    base = resources.files("shopkeeper.bots.nlu") / "data"
    for lang in languages:
        item = base / f"{lang}.yml"
        if item.is_file():
            out.extend(_from_document(yaml.safe_load(item.read_text(encoding="utf-8")) or {}, str(item)))
    return out


def load_bitext(path: str | Path, per_intent: int = 40, seed: int = 3) -> list[Example]:
    """English examples from the Bitext CSV for the intents we share, at most `per_intent` each."""
    by_intent: dict[str, list[str]] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ours = BITEXT_INTENTS.get(row.get("intent", ""))
            text = (row.get("instruction") or "").strip()
            if ours and text and "{{" not in text:
                by_intent.setdefault(ours, []).append(text)
    rng = random.Random(seed)
    out: list[Example] = []
    for intent, texts in sorted(by_intent.items()):
        rng.shuffle(texts)
        out.extend((t, intent, "en") for t in texts[:per_intent])
    return out
