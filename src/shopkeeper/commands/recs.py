"""`shopkeeper recs train`: rebuild the recommender's co-occurrence and popularity tables."""

from __future__ import annotations

import typer

from shopkeeper.settings import Settings

app = typer.Typer(help="Recommendations: rebuild and inspect.", no_args_is_help=True)


@app.command("train")
def train() -> None:
    """Full rebuild from recorded events and the catalog (recording keeps it current in between)."""
    from shopkeeper.bootstrap import build_services
    from shopkeeper.recommendations import RecommendationService

    services = build_services(Settings())
    svc = services.recommendations or RecommendationService(services.db)
    with services.db.session() as s:
        report = svc.train(s)
    typer.echo(f"trained on {report.events} events: {report.pairs} pairs, {report.products} products "
               f"in {report.seconds:.2f}s")


@app.command("show")
def show(product_id: str, limit: int = typer.Option(6, help="How many to list.")) -> None:
    """Print similar and also-bought lists for one product."""
    from shopkeeper.bootstrap import build_services
    from shopkeeper.recommendations import RecommendationService

    services = build_services(Settings())
    svc = services.recommendations or RecommendationService(services.db)
    with services.db.session() as s:
        for title, recs in (("similar", svc.similar(s, product_id, limit)),
                            ("also bought", svc.also_bought(s, product_id, limit))):
            typer.echo(title)
            for r in recs:
                typer.echo(f"  {r.product_id}  {r.score:.3f}  {r.reason}")
