"""`shopkeeper import FILE`, `shopkeeper export FILE`, `shopkeeper search "query"`."""

from __future__ import annotations

from pathlib import Path

import typer

from shopkeeper.settings import Settings

app = typer.Typer(help="Catalog import, export and search.")


@app.command("import")
def import_(file: Path, database_url: str = typer.Option("", help="Database URL.")) -> None:
    """Import products from JSON lines or a Shopify product CSV (upsert by handle / sku)."""
    from shopkeeper import catalog
    from shopkeeper.bootstrap import build_services

    services = build_services(Settings(database_url=database_url) if database_url else Settings())
    report = catalog.import_file(services.db, file, currency=services.settings.currency)
    typer.echo(f"created {report.created}, updated {report.updated}, errors {len(report.errors)}")
    for line, message in report.errors[:50]:
        typer.echo(f"  row {line}: {message}", err=True)
    if report.errors:
        raise typer.Exit(1)


@app.command("export")
def export(file: Path, database_url: str = typer.Option("", help="Database URL.")) -> None:
    """Export every product as JSON lines (.jsonl) or a Shopify product CSV (.csv)."""
    from shopkeeper import catalog
    from shopkeeper.bootstrap import build_services

    services = build_services(Settings(database_url=database_url) if database_url else Settings())
    typer.echo(f"exported {catalog.export_file(services.db, file)} products to {file}")


@app.command("search")
def search(
    query: str,
    language: str = typer.Option("en", help="Language of the query."),
    limit: int = typer.Option(10, help="How many results."),
    database_url: str = typer.Option("", help="Database URL."),
) -> None:
    """Search the catalog the way the bot does."""
    from shopkeeper import catalog
    from shopkeeper.bootstrap import build_services

    services = build_services(Settings(database_url=database_url) if database_url else Settings())
    service = services.search or catalog.SearchService(services.db)
    result = service.search(catalog.SearchQuery(query, language, limit=limit))
    if result.did_you_mean:
        typer.echo(f"did you mean: {result.did_you_mean}")
    if result.explanation:
        typer.echo(result.explanation)
    with services.db.session() as session:
        for i, hit in enumerate(result.hits, start=1):
            p = catalog.get_product(session, hit.product_id)
            typer.echo(f"{i:2}. {p.title}  [{p.id}]  {hit.score:.3f}")
    typer.echo(f"{result.total} found")
