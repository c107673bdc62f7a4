"""`shopkeeper nlu ...`: train the intent model from folders/YAML, try it on a message."""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Language understanding: train and try the NLU model.", no_args_is_help=True)


@app.command()
def train(
    data: list[Path] = typer.Option(
        [], "--data", help="seq.in/label folder, YAML file, or a directory of them"
    ),
    out: Path | None = typer.Option(None, "--out", help="model file (default: the app's default model path)"),
    shipped: bool = typer.Option(
        True, "--shipped/--no-shipped", help="include the shipped commerce examples"
    ),
    bitext: Path | None = typer.Option(None, "--bitext", help="Bitext commerce CSV to add (mapped intents)"),
    languages: str = typer.Option("en,pl,ar,zh,sk", "--languages", help="languages the model answers in"),
) -> None:
    """Train the intent model and write it to one file the app loads at start."""
    from shopkeeper.bots.nlu import NLU, default_model_path, load_any, load_bitext, shipped_examples

    examples = shipped_examples() if shipped else []
    for source in data:
        examples.extend(load_any(source))
    if bitext:
        examples.extend(load_bitext(bitext))
    if not examples:
        raise typer.BadParameter("no training examples: pass --data or keep --shipped")
    nlu = NLU.train(examples, languages=[lang.strip() for lang in languages.split(",") if lang.strip()])
    target = out or default_model_path()
    nlu.save(target)
    typer.echo(
        f"trained on {len(examples)} examples, {len(nlu.intents)} intents in {nlu.train_seconds:.1f}s "
        f"(threshold {nlu.classifier.threshold:.3f}, fast-stage gate {nlu.gate:.3f}) -> {target}"
    )


@app.command()
def parse(
    text: str,
    model: Path | None = typer.Option(None, "--model", help="model file (default: the shipped model)"),
    languages: str = typer.Option("en,pl,ar,zh,sk", "--languages"),
    currency: str = typer.Option("EUR", "--currency", help="merchant currency for bare prices"),
) -> None:
    """Print what the NLU understands in one message, as JSON."""
    from shopkeeper.bots.nlu import NLU

    nlu = NLU.load(model) if model else NLU.default()
    u = nlu.parse(text, languages=languages.split(","), default_currency=currency)
    typer.echo(
        json.dumps(
            {
                "language": u.language,
                "intent": u.intent,
                "confidence": round(u.confidence, 4),
                "out_of_scope": u.out_of_scope,
                "alternatives": u.alternatives,
                "entities": [
                    {"type": e.type, "value": str(e.value), "text": e.text, "start": e.start, "end": e.end}
                    for e in u.entities
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
