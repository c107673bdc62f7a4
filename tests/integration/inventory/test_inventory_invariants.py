"""Random sequences of stock operations keep the books straight: reserved equals the active holds,
on hand only moves by converted and restocked units, and nothing is ever sold twice."""

from __future__ import annotations

import random
from datetime import timedelta

from shopkeeper import inventory
from shopkeeper.kernel.clock import utcnow
from shopkeeper.kernel.db import Database

VARIANTS = ["var_a", "var_b", "var_c"]


def test_random_operations_keep_stock_consistent(database: Database) -> None:
    rng = random.Random(20261202)
    start = {"var_a": 5, "var_b": 3, "var_c": 8}
    with database.session() as s:
        for vid, qty in start.items():
            inventory.set_stock(s, vid, qty)
    held: dict[str, list[tuple[str, int]]] = {}  # reference -> lines, while active
    sold: dict[str, int] = dict.fromkeys(VARIANTS, 0)
    for step in range(150):
        op = rng.choice(["reserve", "reserve", "release", "convert", "restock", "expire"])
        with database.session() as s:
            if op == "reserve":
                ref = f"ord_{step}"
                lines = [(v, rng.randint(1, 3)) for v in rng.sample(VARIANTS, rng.randint(1, 2))]
                free = inventory.available(s, VARIANTS)
                try:
                    inventory.reserve(s, ref, lines, ttl_minutes=rng.choice([1, 60]))
                    assert all(free[v] >= q for v, q in lines)
                    held[ref] = lines
                except inventory.OutOfStock:
                    assert any(free[v] < q for v, q in lines)
            elif op in ("release", "convert") and any(not r.startswith("sold:") for r in held):
                ref = rng.choice(sorted(r for r in held if not r.startswith("sold:")))
                if op == "release":
                    inventory.release(s, ref)
                else:
                    assert inventory.convert(s, ref) == []
                    for v, q in held[ref]:
                        sold[v] += q
                    held[f"sold:{ref}"] = held[ref]
                del held[ref]
            elif op == "restock":
                sold_refs = sorted(r for r in held if r.startswith("sold:"))
                if sold_refs:
                    ref = rng.choice(sold_refs)
                    inventory.restock(s, ref.removeprefix("sold:"))
                    for v, q in held.pop(ref):
                        sold[v] -= q
            elif op == "expire":
                inventory.expire_reservations(s, utcnow() + timedelta(minutes=5))
                for ref in [r for r in held if not r.startswith("sold:")]:
                    if inventory.reservations_of(s, ref).get("active", 0) == 0:
                        del held[ref]
        with database.session() as s:
            for vid in VARIANTS:
                on_hand, reserved = inventory.stock_level(s, vid)
                active = sum(
                    q for r, ls in held.items() if not r.startswith("sold:") for v, q in ls if v == vid
                )
                assert reserved == active, (step, op, vid)
                assert on_hand == start[vid] - sold[vid], (step, op, vid)
                assert 0 <= reserved <= on_hand
