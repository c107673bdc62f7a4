"""Inbound messaging webhooks end to end: signed provider webhooks (all five channels) posted over
real HTTP to uvicorn at a fixed rate; the server verifies, stores and acknowledges, then the stored
events run through keywords → conversation → bot → outbox.

    python benchmarks/channels.py [--mode split|concurrent|inprocess] [--database-url URL]
                                  [--n 1000] [--rate 200] [--shoppers 100]

Modes: `split` acknowledges everything, then drains the stored events in the server process;
`concurrent` is the production layout — a server process that only acknowledges (`shopkeeper serve
--no-worker`) and a worker process running the `shopkeeper worker` loop (BackgroundWorker: it polls
the stored events, runs the bot and delivers the outbox to local fake providers) while the load
runs; `inprocess` runs the bot on the server's own event pump (`shopkeeper serve`/`demo`).
Reports acknowledge latency (p50/p99) at the offered rate, and end-to-end throughput (first post to
last event processed). Prints a human summary, then one line of JSON. Demo catalog, fixed seed.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import multiprocessing
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import uvicorn
from sqlalchemy import func, select

from shopkeeper.adapters.channels import inbox_db, process_pending, wire
from shopkeeper.adapters.channels.fake import FakeProviders
from shopkeeper.adapters.channels.simulator import SimulatedWebhook, build_webhook, demo_settings
from shopkeeper.bootstrap import build_services, warm_up
from shopkeeper.kernel.inbox import InboundEvent
from shopkeeper.kernel.outbox import SENT, OutboxMessage
from shopkeeper.seeding import ensure_demo_data
from shopkeeper.settings import Settings
from shopkeeper.web.app import create_app
from shopkeeper.worker import BackgroundWorker

TEXTS = [
    "hi",
    "I need running shoes",
    "waterproof hiking boots under 150",
    "show me backpacks",
    "do you have this in size 43?",
    "what's in my cart?",
    "where is my order?",
    "thanks!",
]
CHANNELS = ["whatsapp", "messenger", "instagram", "telegram", "sms"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sender_for(channel: str, i: int) -> str:
    return {
        "whatsapp": f"49151{i:07d}",
        "messenger": f"71{i:014d}",
        "instagram": f"72{i:014d}",
        "telegram": f"{500000 + i}",
        "sms": f"+1555{i:07d}",
    }[channel]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


Hook = tuple[str, bytes, dict[str, str]]


def load(
    base: str, hooks: list[Hook], rate: float, threads: int, forged: Hook
) -> tuple[list[float], list[int], float]:
    """Posts every hook on an open-loop schedule (the offered rate does not bend to latency)."""
    client = httpx2.Client(base_url=base, timeout=30, limits=httpx2.Limits(max_connections=threads * 2))
    with ThreadPoolExecutor(threads) as pool:  # open connections, start server threads: before the clock
        list(
            pool.map(
                lambda _: client.post(forged[0], content=forged[1] + b" ", headers=forged[2]),
                range(threads * 8),
            )
        )
    acks, codes = [0.0] * len(hooks), [0] * len(hooks)
    start = time.perf_counter() + 0.2

    def post(i: int) -> None:
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        path, body, headers = hooks[i]
        t0 = time.perf_counter()
        codes[i] = client.post(path, content=body, headers=headers).status_code
        acks[i] = (time.perf_counter() - t0) * 1000

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(post, range(len(hooks))))
    return acks, codes, time.perf_counter() - start


def worker_process(settings: dict[str, str], ready: Any, stop: Any, nice: int) -> None:
    """The worker process of the `concurrent` mode: what `shopkeeper worker` runs (models loaded
    and frozen out of the GC before the first turn), with the providers faked at the transport."""
    if nice:
        os.nice(nice)  # as `nice -n N shopkeeper worker`: on a shared CPU the acknowledgements go first
    logging.getLogger("shopkeeper").setLevel(logging.CRITICAL)  # failures are counted on the rows
    services = build_services(Settings(**settings), create_schema=False, warm=True)  # type: ignore[arg-type]
    wire(services, transport=FakeProviders().transport, channel_settings=demo_settings())
    gc.freeze()
    loop = BackgroundWorker(services)
    loop.start()
    ready.set()
    stop.wait()
    loop.stop()


def wait_processed(services: Any, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while _unprocessed(services) and time.monotonic() < deadline:
        time.sleep(0.05)


def _unprocessed(services: Any) -> int:
    with inbox_db(services).session() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(InboundEvent)
                .where(InboundEvent.provider.like("channel.%"), InboundEvent.processed_at.is_(None))
            )
            or 0
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--shoppers", type=int, default=100)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument(
        "--mode",
        choices=["split", "concurrent", "inprocess"],
        default="split",
        help="split: ack phase, then drain; concurrent: a worker process runs the bot while the server "
        "acks; inprocess: bot turns on the server's event pump while it acks",
    )
    ap.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="concurrent mode: run the worker process at this nice level (nice -n N shopkeeper worker)",
    )
    args = ap.parse_args()
    rng = random.Random(6)
    logging.getLogger("shopkeeper.adapters.channels.inbound").setLevel(logging.CRITICAL)  # errors are counted

    data = Path(tempfile.mkdtemp(prefix="sk-bench-channels-"))
    port = free_port()
    settings = Settings(
        data_dir=data,
        database_url=args.database_url or f"sqlite:///{data / 'bench.db'}",
        base_url=f"http://127.0.0.1:{port}",
    )
    services = build_services(settings)
    ensure_demo_data(services)
    cfg = demo_settings()
    fake = FakeProviders()
    wire(services, transport=fake.transport, channel_settings=cfg)
    services.extras["channel_processing"] = "worker"  # ack phase measures verify → store → ack alone
    dialect = services.db.dialect

    # warm the bot (NLU training, caches) outside the measurement
    warm = build_webhook("whatsapp", cfg, sender="4900000000", text="hi", public_url=settings.base_url)
    hooks: list[SimulatedWebhook] = []
    for i in range(args.n):
        channel = CHANNELS[i % len(CHANNELS)]
        who = sender_for(channel, rng.randrange(args.shoppers))
        hooks.append(
            build_webhook(channel, cfg, sender=who, text=rng.choice(TEXTS), public_url=settings.base_url)
        )

    ctx = multiprocessing.get_context("spawn")
    worker: Any = None
    if args.mode == "concurrent":  # a second process, as `shopkeeper worker` next to `serve --no-worker`
        ready, stop = ctx.Event(), ctx.Event()
        worker_settings = {
            "data_dir": str(data),
            "database_url": settings.resolved_database_url(),
            "base_url": settings.base_url,
        }
        worker = ctx.Process(
            target=worker_process, args=(worker_settings, ready, stop, args.worker_nice), daemon=True
        )
        worker.start()
        warm_up(services)  # what `serve` does; then, as `serve`, the long-lived heap leaves the GC
        gc.freeze()
        if not ready.wait(600):
            raise SystemExit("worker process did not start")

    server = uvicorn.Server(
        uvicorn.Config(
            create_app(services, run_worker=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    client = httpx2.Client(base_url=base, timeout=30)
    t_warm = time.perf_counter()
    assert client.post(warm.path, content=warm.body, headers=warm.headers).status_code == 200
    if worker is not None:
        wait_processed(services)
    else:
        process_pending(services)
    warm_s = time.perf_counter() - t_warm

    forged = build_webhook("whatsapp", cfg, sender="4900000001", text="forged", public_url=settings.base_url)
    bad = client.post(forged.path, content=forged.body + b" ", headers=forged.headers).status_code

    if args.mode == "inprocess":  # bot turns run on the server's event pump while it acks
        services.extras["channel_processing"] = "pump"
    # the load generator is another process: its CPU is not the server's
    wire_hooks = [(h.path, h.body, h.headers) for h in hooks]
    with ctx.Pool(1) as pool:
        acks, codes, ack_elapsed = pool.apply(
            load, (base, wire_hooks, args.rate, args.threads, (forged.path, forged.body, forged.headers))
        )
    start = time.perf_counter() - ack_elapsed

    # processing: drain the stored events (what the in-request background task / worker does)
    t_proc = time.perf_counter()
    processed = 0
    if worker is not None:  # the worker process drains what is left
        wait_processed(services)
        processed = len(hooks)
    else:
        while True:
            done = process_pending(services, limit=500)
            processed += done
            if done == 0 and (args.mode == "split" or _unprocessed(services) == 0):
                break
            if done == 0:
                time.sleep(0.2)
        if args.mode == "inprocess":
            processed = len(hooks)
    proc_elapsed = time.perf_counter() - t_proc
    total = time.perf_counter() - start
    if args.mode != "split":  # events were processed while the load ran: rate over the whole run
        proc_elapsed = total
    with inbox_db(services).session() as s:
        stored = int(
            s.scalar(
                select(func.count()).select_from(InboundEvent).where(InboundEvent.provider.like("channel.%"))
            )
            or 0
        )
        failed = int(
            s.scalar(select(func.count()).select_from(InboundEvent).where(InboundEvent.error.is_not(None)))
            or 0
        )
    with services.db.session() as s:
        queued = int(
            s.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind.like("channel.%"))
            )
            or 0
        )
        sent = int(
            s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == SENT)) or 0
        )
    server.should_exit = True
    thread.join(timeout=10)
    if worker is not None:
        stop.set()
        worker.join(timeout=30)

    ok = sum(1 for c in codes if c in (200, 204))
    result: dict[str, Any] = {
        "benchmark": "channels",
        "database": dialect,
        "n": args.n,
        "offered_rate_per_s": args.rate,
        "ack_rate_per_s": round(args.n / ack_elapsed, 1),
        "ack_p50_ms": round(statistics.median(acks), 2),
        "ack_p99_ms": round(percentile(acks, 99), 2),
        "ack_max_ms": round(max(acks), 2),
        "acked_ok": ok,
        "forged_status": bad,
        "stored_events": stored,
        "processed": processed,
        "processing_errors": failed,
        "replies_queued": queued,
        "replies_sent": sent,
        "mode": args.mode,
        "processes": "server + worker" if worker is not None else "server",
        "worker_nice": args.worker_nice if worker is not None else None,
        "processing_per_s": round(processed / proc_elapsed, 1) if proc_elapsed else None,
        "webhooks_per_s": round(args.n / total, 1),
        "bot_warmup_s": round(warm_s, 1),
    }
    print(
        f"channels webhooks on {dialect} ({args.mode}): {args.n} signed webhooks at {args.rate:.0f}/s "
        f"({', '.join(CHANNELS)}), {args.threads} client threads in a separate process, "
        + (
            "a server process that only acknowledges + a worker process (bot turns, outbox delivery)"
            if worker is not None
            else "one server process"
        )
    )
    print(
        f"  acknowledge: p50 {result['ack_p50_ms']} ms · p99 {result['ack_p99_ms']} ms"
        f" · max {result['ack_max_ms']} ms"
        f" · {ok}/{args.n} ok · achieved {result['ack_rate_per_s']}/s · forged → HTTP {bad}"
    )
    print(
        f"  processing (keywords → conversation → bot → outbox): {processed} events at "
        f"{result['processing_per_s']}/s, {failed} errors, {queued} replies queued, {sent} sent by then"
    )
    print(f"  end to end: {result['webhooks_per_s']} webhooks/s (first post → last event processed)")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
