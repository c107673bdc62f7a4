"""Conversation throughput: simulated shoppers buy through the HTTP chat API (search → details →
add → cart → checkout → name → e-mail → address → shipping; then pay by the demo webhook) against a
generated catalog (fixed seed) on a real uvicorn server on 127.0.0.1 (its own process, so the load
generator does not share its interpreter lock). Prints turns/s and p50/p99 turn latency; last
line JSON. The database is reused when it already holds the catalog (delete it to rebuild).

    python benchmarks/conversation.py --database-url sqlite:///.cache/bench-conv.db \
        --products 50000 --shoppers 40 [--server-processes 2 --redis-url redis://127.0.0.1:6379/0]

With --server-processes N, N server processes share the database (what `shopkeeper serve --workers
N` runs, each on a port of its own here so that each one's CPU can be read) and the shoppers are
spread over them; live web chat frames cross them over Redis.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

BRANDS = [
    "Alpenwerk",
    "Northpeak",
    "Trailcraft",
    "Urban Nomad",
    "Nike",
    "Adidas",
    "Salomon",
    "Columbia",
    "Lumen",
    "Soundwave",
    "Kitchenly",
    "Homestead",
    "Velo",
    "Aqua",
    "Pixel",
    "Terra",
]
KINDS = [
    ("Shoes", ["hiking boots", "running shoes", "sneakers", "sandals"], ["40", "41", "42", "43", "44"]),
    ("Clothing", ["rain jacket", "fleece", "t-shirt", "hoodie", "dress"], ["S", "M", "L", "XL"]),
    ("Headphones & Audio", ["bluetooth headphones", "earbuds", "speaker"], []),
    ("Kitchen", ["chef knife", "frying pan", "kettle", "coffee grinder"], []),
    ("Home", ["desk lamp", "cushion", "throw blanket", "storage box"], []),
    ("Sports & Outdoors", ["tent", "sleeping bag", "backpack", "water bottle"], []),
    ("Bags", ["laptop bag", "tote bag", "travel duffel"], []),
    ("Electronics", ["phone charger", "power bank", "smart watch", "usb cable"], []),
]
ADJECTIVES = [
    "waterproof",
    "lightweight",
    "classic",
    "pro",
    "compact",
    "warm",
    "breathable",
    "premium",
    "everyday",
    "travel",
    "eco",
    "wireless",
]
COLORS = ["black", "blue", "red", "green", "grey", "white", "brown"]
QUERIES = [
    "waterproof hiking boots",
    "bluetooth headphones",
    "rain jacket",
    "chef knife",
    "lightweight tent",
    "running shoes under 100 euros",
    "black hoodie",
    "travel backpack",
    "desk lamp",
    "power bank",
]


def generate(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records = []
    for i in range(n):
        category, nouns, sizes = KINDS[i % len(KINDS)]
        brand, noun, adj = rng.choice(BRANDS), rng.choice(nouns), rng.choice(ADJECTIVES)
        colors = rng.sample(COLORS, 2)
        price = rng.randrange(900, 25000)
        options = [({"size": s, "color": c}) for c in colors[:1] for s in (sizes[:3] or [""])]
        variants = [
            {
                "sku": f"B{i:06d}-{j}",
                "title": " / ".join(v for v in o.values() if v) or None,
                "options": {k: v for k, v in o.items() if v},
                "price": f"{price / 100:.2f}",
                "currency": "EUR",
                "weight_g": rng.randrange(100, 2000),
                "stock": rng.randrange(20, 500),
            }
            for j, o in enumerate(options)
        ]
        records.append(
            {
                "handle": f"bench-{i:06d}",
                "title": f"{brand} {adj.title()} {noun.title()} {i}",
                "description": f"A {adj} {noun} by {brand}. Colours: {', '.join(colors)}.",
                "brand": brand,
                "category": category,
                "tags": [adj, noun],
                "attributes": {"waterproof": "yes" if adj == "waterproof" else "no"},
                "images": [],
                "variants": variants,
                "reviews": [
                    {
                        "rating": rng.randint(3, 5),
                        "title": "Good",
                        "body": f"Nice {noun}.",
                        "author": "Bench",
                        "language": "en",
                    }
                ],
            }
        )
    return records


def build(url: str, products: int, seed: int, data_dir: Path) -> tuple[float, int]:
    from shopkeeper import catalog
    from shopkeeper.bootstrap import build_services
    from shopkeeper.settings import Settings

    services = build_services(Settings(database_url=url, data_dir=data_dir))
    with services.db.session() as s:
        have = catalog.count_products(s)
    if have >= products:
        # a reused store keeps the orders of earlier runs: restock what they sold, so every run
        # buys from the same catalog
        from sqlalchemy import text

        with services.db.session() as s:
            s.execute(text("UPDATE stock SET on_hand = reserved + 500 WHERE on_hand - reserved < 50"))
        services.db.dispose()
        return 0.0, have
    started = time.perf_counter()
    records = generate(products, seed)
    for i in range(0, len(records), 2000):
        with services.db.session() as s:
            catalog.import_records(
                s, records[i : i + 2000], encoder=None
            )  # lexical index; vectors are optional
    services.db.dispose()
    return time.perf_counter() - started, products


def serve(url: str, port: int, data_dir: str, statements: Any = None, redis_url: str | None = None) -> None:
    import logging

    import uvicorn

    from shopkeeper.bootstrap import build_services
    from shopkeeper.settings import Settings
    from shopkeeper.web.app import create_app

    logging.disable(logging.WARNING)
    # started the way `shopkeeper serve` starts: models, search caches and one query per language
    # warmed before the first shopper, then the long-lived heap frozen out of the GC's passes
    started = time.perf_counter()
    services = build_services(
        Settings(
            database_url=url,
            data_dir=Path(data_dir),
            base_url=f"http://127.0.0.1:{port}",
            redis_url=redis_url,
        ),
        warm=True,
    )
    if statements is not None:  # SQL statements the server runs: a load-independent cost figure
        from sqlalchemy import event

        def count(*_: Any) -> None:
            with statements.get_lock():
                statements.value += 1

        event.listen(services.db.engine, "before_cursor_execute", count)
    gc.freeze()
    print(f"server warm in {time.perf_counter() - started:.1f} s", flush=True)
    uvicorn.run(create_app(services), host="127.0.0.1", port=port, log_level="error", access_log=False)


class Shopper:
    def __init__(self, base: str, seed: int, provider: Any) -> None:
        import httpx2

        self.http = httpx2.Client(base_url=base, timeout=300.0)
        self.rng = random.Random(seed)
        self.provider = provider
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.errors = 0
        self.paid = 0

    def turn(self, text: str, payload: str | None = None, kind: str = "") -> dict[str, Any]:
        started = time.perf_counter()
        r = self.http.post(
            "/api/v1/chat/messages", json={"text": text, "payload": payload}, headers=self.auth
        )
        ms = (time.perf_counter() - started) * 1000
        self.latencies.append(ms)
        self.by_kind.setdefault(kind or (payload or "text").split(" ")[0], []).append(ms)
        if r.status_code != 200:
            self.errors += 1
            return {"replies": []}
        body: dict[str, Any] = r.json()
        return body

    @staticmethod
    def button(turn: dict[str, Any], prefix: str) -> str | None:
        for reply in turn["replies"]:
            for p in reply["parts"]:
                buttons = p.get("buttons", []) + p.get("options", [])
                for c in p.get("cards", []):
                    buttons += c["buttons"]
                for b in buttons:
                    if (b.get("payload") or "").startswith(prefix):
                        return str(b["payload"])
        return None

    def buy(self) -> None:
        from shopkeeper.kernel.money import Money

        s = self.http.post("/api/v1/chat/sessions", json={"language": "en"}).json()
        self.auth = {"Authorization": f"Bearer {s['token']}"}
        found = self.turn(self.rng.choice(QUERIES), kind="search")
        product = self.button(found, "/product ")
        if not product:
            return
        add = self.button(self.turn("details", product), "/add ")
        if not add:
            return
        self.turn("add", add)
        self.turn("cart", "/cart")
        self.turn("checkout", "/checkout")
        self.turn("Anna Nowak", kind="name")
        self.turn(f"anna{self.rng.randrange(10**6)}@example.com", kind="email")
        ship = self.button(self.turn("Hauptstrasse 5, 10115 Berlin, Germany", kind="address"), "/ship ")
        if not ship:
            return
        placed = self.turn("ok", ship)
        pay = [p for r in placed["replies"] for p in r["parts"] if p["type"] == "payment_request"]
        if pay:
            event = self.provider.build_event(
                pay[0]["payment_id"], "succeeded", Money(pay[0]["amount_minor"], pay[0]["currency"])
            )
            body, headers = self.provider.signed_request(event)
            if self.http.post("/webhooks/payments/demo", content=body, headers=headers).status_code < 300:
                self.paid += 1


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process (Linux /proc), 0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default="sqlite:///.cache/bench-conversation.db")
    ap.add_argument("--products", type=int, default=50_000)
    ap.add_argument("--shoppers", type=int, default=40, help="how many purchases to simulate")
    ap.add_argument("--concurrency", type=int, default=4, help="shoppers chatting at the same time")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--data-dir", default=".cache/bench-conversation")
    ap.add_argument("--server-processes", type=int, default=1, help="server processes on the one database")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="with --server-processes > 1")
    args = ap.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)

    import_s, products = build(args.database_url, args.products, args.seed, Path(args.data_dir))
    how = f"imported in {import_s:.1f} s" if import_s else "reused"
    print(f"catalog: {products} products ({how})")
    statements = mp.get_context("spawn").Value("q", 0)
    redis_url = args.redis_url if args.server_processes > 1 else None
    ports = [args.port + i for i in range(args.server_processes)]
    servers = [
        mp.get_context("spawn").Process(
            target=serve, args=(args.database_url, port, args.data_dir, statements, redis_url), daemon=True
        )
        for port in ports
    ]
    for server in servers:
        server.start()
    import httpx2

    from shopkeeper.adapters.payments.demo import DemoPaymentProvider
    from shopkeeper.settings import Settings

    bases = [f"http://127.0.0.1:{port}" for port in ports]
    secret = Settings().demo_payment_secret.get_secret_value()
    for base in bases:
        for _ in range(1200):
            try:
                if httpx2.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.5)
        Shopper(base, 0, DemoPaymentProvider(base, secret)).buy()  # loads models and caches; not measured

    shoppers = [
        Shopper(bases[i % len(bases)], args.seed + i, DemoPaymentProvider(bases[i % len(bases)], secret))
        for i in range(args.shoppers)
    ]
    queue = list(shoppers)
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not queue:
                    return
                shopper = queue.pop()
            shopper.buy()

    cpu_before = sum(_cpu_seconds(server.pid) for server in servers)
    statements_before = statements.value
    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    server_cpu = sum(_cpu_seconds(server.pid) for server in servers) - cpu_before
    server_statements = statements.value - statements_before
    for server in servers:
        server.terminate()
    latencies = sorted(x for s in shoppers for x in s.latencies)
    if not latencies:
        print("no turns completed")
        return 1
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    dialect = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    result = {
        "turns_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(p50, 1),
        "p99_ms": round(p99, 1),
        "database": dialect,
        "products": products,
        "turns": len(latencies),
        "shoppers": args.shoppers,
        "concurrency": args.concurrency,
        "server_processes": args.server_processes,
        "paid": sum(s.paid for s in shoppers),
        "errors": sum(s.errors for s in shoppers),
        # the server's own CPU per turn (payment webhooks included): robust to a busy machine
        "server_cpu_ms_per_turn": round(server_cpu * 1000 / len(latencies), 2),
        "sql_per_turn": round(server_statements / len(latencies), 1),
    }
    print(
        f"{result['turns']} turns by {args.shoppers} shoppers ({args.concurrency} at a time, "
        f"{args.server_processes} server process{'es' if args.server_processes > 1 else ''}) "
        f"in {elapsed:.1f} s: "
        f"{result['turns_per_s']} turns/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; "
        f"{result['paid']} paid, {result['errors']} errors  [bar on SQLite: p99 < 50 ms, >= 300 turns/s]"
    )
    print(
        f"server CPU {result['server_cpu_ms_per_turn']} ms and {result['sql_per_turn']} SQL statements "
        f"per turn (payment webhooks and background work included; load average {_load()})"
    )
    kinds: dict[str, list[float]] = {}
    for shopper in shoppers:
        for kind, values in shopper.by_kind.items():
            kinds.setdefault(kind, []).extend(values)
    for kind, values in sorted(kinds.items()):
        values.sort()
        print(
            f"  {kind:10s} n={len(values):4d}  p50 {statistics.median(values):7.1f} ms  "
            f"max {values[-1]:7.1f} ms"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
