"""Builds the FastAPI application: routers of every area, static files, error handlers, and the
background outbox loop for the single-process mode."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from shopkeeper import __version__
from shopkeeper.bootstrap import Services, build_services
from shopkeeper.web.errors import install_error_handlers
from shopkeeper.web.templating import STATIC_DIR

ROUTER_MODULES = (
    "shopkeeper.web.api.catalog",
    "shopkeeper.web.api.carts",
    "shopkeeper.web.api.checkout",
    "shopkeeper.web.api.orders",
    "shopkeeper.web.api.chat",
    "shopkeeper.web.api.conversations",
    "shopkeeper.web.api.recommendations",
    "shopkeeper.web.api.auth",
    "shopkeeper.web.payments",
    "shopkeeper.web.webhooks",
    "shopkeeper.web.storefront",
)

DESCRIPTION = """Shopkeeper's JSON API: catalog browse and search, carts, checkout, orders, and the
web chat (REST and WebSocket). Shopper endpoints take `Authorization: Bearer <shopper token>` from
`POST /api/v1/chat/sessions`; agent endpoints take an agent token from `POST /api/v1/auth/login`."""


def create_app(
    services: Services | None = None,
    *,
    run_worker: bool = True,
    on_start: Callable[[], object] | None = None,
) -> FastAPI:
    """`on_start` runs once the server is starting up, just before it listens (`shopkeeper demo`
    starts its background warm-up there, after the server's own imports)."""
    services = services or build_services()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from shopkeeper.worker import BackgroundWorker

        worker = BackgroundWorker(services) if run_worker else None
        if worker:
            worker.start()
        if on_start is not None:
            on_start()
        try:
            yield
        finally:
            if worker:
                worker.stop()

    app = FastAPI(title="Shopkeeper", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.services = services
    install_error_handlers(app)
    for module in ROUTER_MODULES:
        app.include_router(importlib.import_module(module).router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "database": services.db.dialect}

    return app


# set by `shopkeeper serve --workers N` for the processes it starts
SERVE_WORKER_ENV = "SHOPKEEPER_SERVE_OUTBOX_WORKER"


def served_app() -> FastAPI:
    """The app of one process of `shopkeeper serve --workers N` (uvicorn imports it by name in each
    process): settings from the environment, which the command filled in; the schema was migrated
    once before the processes started. Models are loaded and the heap frozen before it listens."""
    import gc
    import os

    from shopkeeper.settings import Settings

    services = build_services(Settings(), create_schema=False, warm=True)
    run_worker = os.environ.get(SERVE_WORKER_ENV, "1") == "1"
    if not run_worker:
        services.extras["channel_processing"] = "worker"
    gc.freeze()
    return create_app(services, run_worker=run_worker)
