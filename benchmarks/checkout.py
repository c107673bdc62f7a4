"""Commerce core figures: cart change and quote latency, place-and-pay throughput, and the
no-oversell race (many threads for the last units), on SQLite or PostgreSQL.

    python benchmarks/checkout.py [--database-url URL] [--products 2000] [--orders 200]

Prints a human summary, then one line of JSON. Generates its own catalog (fixed seed).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from shopkeeper import cart, catalog, checkout, inventory, orders, payments
from shopkeeper.adapters.payments.demo import DemoPaymentProvider
from shopkeeper.kernel.db import Database

CONTACT = checkout.validate_contact("Anna Nováková", "anna@example.com", None, "SK")
ADDRESS = checkout.validate_address("Anna Nováková", "Obchodná 1", "Bratislava", "81101", "SK")
DEST = checkout.Destination("SK", "811 01")


def open_db(url: str | None) -> Database:
    import shopkeeper.models  # noqa: F401  (registers every table)

    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='sk-bench-')) / 'bench.db'}"
    db = Database(url)
    if db.dialect == "postgresql":
        schema = f"bench_{random.randrange(1 << 30):x}"
        with db.engine.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        db.dispose()
        sep = "&" if "?" in url else "?"
        db = Database(f"{url}{sep}options=-csearch_path%3D{schema}")
        db.info_schema = schema  # type: ignore[attr-defined]
    db.create_all()
    return db


def seed(db: Database, n: int, rng: random.Random) -> list[str]:
    records = [
        {"handle": f"bench-{i}", "title": f"Product {i}", "description": "benchmark item", "brand": "Acme",
         "category": "Bench", "variants": [
             {"sku": f"bench-{i}-{k}", "title": f"size {k}", "options": {"size": str(38 + k)},
              "price": f"{rng.randint(5, 300)}.{rng.randint(0, 99):02d}", "currency": "EUR",
              "weight_g": rng.randint(100, 4000), "stock": 1_000_000} for k in range(2)]}
        for i in range(n)
    ]
    with db.session() as s:
        report = catalog.import_records(s, records, encoder=None)
    with db.session() as s:
        return [v.id for pid in report.product_ids for v in catalog.get_product(s, pid).variants]


class StatementCounter:
    """SQL statements per operation: a figure the shared machine's load cannot blur."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._hit)

    def _hit(self, *_: Any) -> None:
        self.count += 1


COUNTER: StatementCounter | None = None


def timed(fn: Callable[..., Any], *args: Any) -> tuple[float, Any, int]:
    before = COUNTER.count if COUNTER else 0
    t0 = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - t0) * 1000, result, (COUNTER.count if COUNTER else 0) - before


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def add(db: Database, cart_id: str, variant_id: str, qty: int) -> None:
    with db.session() as s:
        cart.add_item(s, cart_id, variant_id, qty)


def quote(db: Database, cart_id: str) -> None:
    with db.session() as s:
        checkout.quote(s, cart_id, DEST, "sk_courier")


def place(db: Database, cart_id: str, provider: DemoPaymentProvider) -> payments.PaymentView:
    with db.session() as s:
        order = checkout.place_order(s, cart_id, CONTACT, ADDRESS, "sk_courier")
        return checkout.start_payment(s, order.id, provider, "http://bench.test/done")


def pay(db: Database, provider: DemoPaymentProvider, pv: payments.PaymentView) -> None:
    body, headers = provider.signed_request(provider.build_event(pv.id, "succeeded", pv.amount))
    payments.handle_webhook(db, provider, body, headers)


def run_flows(db: Database, variants: list[str], n_orders: int, rng: random.Random) -> dict[str, Any]:
    provider = DemoPaymentProvider("http://bench.test", "bench-secret")
    ms: dict[str, list[float]] = {"add": [], "quote": [], "place": [], "pay": []}
    sql: dict[str, list[int]] = {k: [] for k in ms}

    def record(name: str, took: tuple[float, Any, int]) -> Any:
        ms[name].append(took[0])
        sql[name].append(took[2])
        return took[1]

    t_start = time.perf_counter()
    for i in range(n_orders):
        with db.session() as s:
            cid = cart.open_cart(s, f"cus_bench_{i}", "EUR").id
        for vid in rng.sample(variants, 3):
            record("add", timed(add, db, cid, vid, rng.randint(1, 2)))
        record("quote", timed(quote, db, cid))
        pv = record("place", timed(place, db, cid, provider))
        record("pay", timed(pay, db, provider, pv))
    elapsed = time.perf_counter() - t_start
    with db.session() as s:
        paid = sum(1 for i in range(n_orders) for o in orders.list_orders(s, f"cus_bench_{i}")
                   if o.status == "paid")
    figures: dict[str, Any] = {"orders": n_orders, "paid": paid, "orders_per_s": round(n_orders / elapsed, 1)}
    for name, values in ms.items():
        figures[f"{name}_p50_ms"] = round(statistics.median(values), 2)
        figures[f"{name}_p99_ms"] = round(pct(values, 99), 2)
        figures[f"{name}_sql_statements"] = round(statistics.mean(sql[name]), 1)
    return figures


def _buy(db: Database, gate: threading.Barrier, cart_id: str) -> bool:
    gate.wait()
    try:
        with db.session() as s:
            checkout.place_order(s, cart_id, CONTACT, ADDRESS, "sk_courier")
        return True
    except inventory.OutOfStock:
        return False


def race(db: Database, rounds: int, buyers: int, units: int) -> dict[str, Any]:
    oversold = 0
    winners: list[int] = []
    race_ms: list[float] = []
    for r in range(rounds):
        with db.session() as s:
            report = catalog.import_records(s, [{"handle": f"race-{r}", "title": "Last units", "variants": [
                {"sku": f"race-{r}", "title": "one", "price": "10.00", "currency": "EUR", "stock": units}]}],
                encoder=None)
            vid = catalog.get_product(s, report.product_ids[0]).variants[0].id
        carts = []
        for b in range(buyers):
            with db.session() as s:
                cid = cart.open_cart(s, f"cus_race_{r}_{b}", "EUR").id
                cart.add_item(s, cid, vid, 1)
                carts.append(cid)
        gate = threading.Barrier(buyers)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=buyers) as pool:
            won = sum(pool.map(lambda cid, gate=gate: _buy(db, gate, cid), carts))
        race_ms.append((time.perf_counter() - t0) * 1000)
        with db.session() as s:
            on_hand, reserved = inventory.stock_level(s, vid)
        winners.append(won)
        oversold += max(0, won - units) + max(0, reserved - on_hand)
    return {"race_rounds": rounds, "race_buyers": buyers, "race_units": units, "race_winners": winners,
            "oversold": oversold, "race_round_ms_p50": round(statistics.median(race_ms), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", default=None, help="default: a fresh SQLite file under /tmp")
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--orders", type=int, default=200)
    ap.add_argument("--race-rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    db = open_db(args.database_url)
    checkout.setup(db)
    global COUNTER
    COUNTER = StatementCounter(db)
    try:
        variants = seed(db, args.products, rng)
        figures = {"database": db.dialect, "products": args.products, "variants": len(variants)}
        figures |= run_flows(db, variants, args.orders, rng)
        figures |= race(db, args.race_rounds, 30, 5)
    finally:
        schema = getattr(db, "info_schema", None)
        if schema:
            with db.engine.begin() as c:
                c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        db.dispose()
    print(f"checkout on {figures['database']} with {figures['products']} products:")
    for name, label in (("add", "add to cart"), ("quote", "quote"), ("place", "place+start"),
                        ("pay", "pay webhook")):
        print(f"  {label:<12}  p50 {figures[name + '_p50_ms']:>6} ms  p99 {figures[name + '_p99_ms']:>6} ms"
              f"  {figures[name + '_sql_statements']} SQL statements")
    print(f"  {figures['orders']} orders end to end at {figures['orders_per_s']}/s, {figures['paid']} paid")
    print(f"  race: {figures['race_buyers']} buyers x {figures['race_units']} units, winners "
          f"{figures['race_winners']}, oversold {figures['oversold']}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
