"""The `shopkeeper` command: demo, serve, worker, migrate, and each area's command group."""

from __future__ import annotations

import importlib
import logging
import os
import time
from pathlib import Path
from typing import Any

import typer

from shopkeeper.settings import Settings

app = typer.Typer(help="Shopkeeper — conversational commerce.", no_args_is_help=True)

# (module, group name); a group without a name contributes its commands at the top level.
# Imported by name so `shopkeeper --help` loads no domain code.
COMMAND_GROUPS = (
    ("shopkeeper.commands.catalog", None),
    ("shopkeeper.commands.chat", None),
    ("shopkeeper.commands.nlu", "nlu"),
    ("shopkeeper.commands.recs", "recs"),
    ("shopkeeper.commands.simulate", None),
    ("shopkeeper.commands.channels", "channels"),
    ("shopkeeper.commands.agents", "agents"),
)


def _mount_groups() -> None:
    for module, name in COMMAND_GROUPS:
        sub: typer.Typer = importlib.import_module(module).app
        if name:
            app.add_typer(sub, name=name)
        else:
            for cmd in sub.registered_commands:
                app.registered_commands.append(cmd)


def _settings(data_dir: Path | None, database_url: str | None) -> Settings:
    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url:
        overrides["database_url"] = database_url
    return Settings(**overrides)  # type: ignore[arg-type]


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    data_dir: Path = typer.Option(Path("./shopkeeper-data"), help="Where the SQLite database lives."),
    database_url: str = typer.Option("", help="Use this database instead of the embedded SQLite."),
) -> None:
    """Run the whole product locally: SQLite, the demo catalog, the storefront with the chat widget,
    the payment page and the API docs on http://HOST:PORT — no network, no keys."""
    import uvicorn

    started = time.perf_counter()
    settings = _settings(data_dir, database_url)
    settings.base_url = f"http://{host}:{port}"
    application, report = demo_app(settings)
    typer.echo(f"Demo data: {report}")
    typer.echo(
        f"Shopkeeper is ready in {time.perf_counter() - started:.1f}s: storefront http://{host}:{port}/ · "
        f"API docs http://{host}:{port}/docs (the assistant a few seconds later)"
    )
    uvicorn.run(
        application, host=host, port=port, log_level=os.environ.get("SHOPKEEPER_LOG_LEVEL", "warning")
    )


def demo_app(settings: Settings) -> tuple[Any, Any]:
    """The demo's app and its `DemoReport`. Only what the storefront shows is done before the app
    serves (schema, catalog with stock, agent); once it starts, a background thread embeds the
    products and loads the language models and search structures (`services.ready`: a chat turn
    waits for them), then generates a new store's shopping history."""
    from shopkeeper import seeding
    from shopkeeper.bootstrap import build_services, warm_up_in_background
    from shopkeeper.web.app import create_app

    services = build_services(settings)
    report = seeding.load_demo_catalog(services, embed=False)

    def behind_the_page() -> None:
        warm_up_in_background(
            services,
            before=lambda: seeding.embed_demo_catalog(services),
            then=(lambda: seeding.seed_history(services)) if report.imported else None,
        )

    return create_app(services, on_start=behind_the_page), report


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    database_url: str = typer.Option("", help="Database URL (default: SQLite under the data dir)."),
    worker: bool = typer.Option(
        True,
        "--worker/--no-worker",
        help="Process stored webhook events and deliver the outbox in this process (one-process "
        "setup), or only acknowledge and leave that to `shopkeeper worker` (production).",
    ),
    workers: int = typer.Option(
        1,
        min=1,
        help="Server processes on the one port. More than one needs SHOPKEEPER_REDIS_URL: live web "
        "chat frames cross the processes over Redis.",
    ),
) -> None:
    """Run the web app on the configured database, without demo data."""
    import gc

    import uvicorn

    from shopkeeper.bootstrap import build_services
    from shopkeeper.web.app import SERVE_WORKER_ENV, create_app

    settings = _settings(None, database_url)
    if workers > 1:
        if not settings.redis_url:
            raise typer.BadParameter(
                "several processes need SHOPKEEPER_REDIS_URL (e.g. redis://127.0.0.1:6379/0)",
                param_hint="--workers",
            )
        from shopkeeper.bootstrap import migrate
        from shopkeeper.kernel.db import Database

        url = settings.resolved_database_url()
        db = Database(url)
        migrate(db)  # once, here, not in every process at the same time
        db.dispose()
        os.environ["SHOPKEEPER_DATABASE_URL"] = url
        os.environ[SERVE_WORKER_ENV] = "1" if worker else "0"
        uvicorn.run(
            "shopkeeper.web.app:served_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
        )
        return
    services = build_services(settings, warm=True)
    if not worker:
        services.extras["channel_processing"] = "worker"  # acknowledge only; the worker polls the inbox
    gc.freeze()  # models and catalog live as long as the process: keep them out of every GC pass
    uvicorn.run(create_app(services, run_worker=worker), host=host, port=port, log_level="info")


@app.command()
def worker(database_url: str = typer.Option("", help="Database URL.")) -> None:
    """Process the stored webhook events (bot turns) and deliver the outbox in this process; run
    it next to `shopkeeper serve --no-worker` (several workers may run on one database)."""
    import gc

    from shopkeeper.bootstrap import build_services
    from shopkeeper.worker import BackgroundWorker

    services = build_services(_settings(None, database_url), warm=True)  # NLU loaded before a turn
    gc.freeze()
    BackgroundWorker(services).run()


@app.command()
def migrate(database_url: str = typer.Option("", help="Database URL.")) -> None:
    """Create or upgrade the database schema."""
    from shopkeeper.bootstrap import build_services

    services = build_services(_settings(None, database_url))
    typer.echo(f"schema at head on {services.db.dialect}")


def main() -> None:
    logging.basicConfig(level=os.environ.get("SHOPKEEPER_LOG_LEVEL", "WARNING").upper())
    _mount_groups()
    app()


if __name__ == "__main__":
    main()
