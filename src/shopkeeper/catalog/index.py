"""The lexical index inside the database: SQLite FTS5 (embedded) or a generated, GIN-indexed
tsvector (PostgreSQL), fed by the same normalised token stream; plus the BM25 statistics
(document frequencies) the ranker and the typo corrector read. Knows nothing of products' rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from shopkeeper.catalog.store import CatalogState, SearchDocument, SearchTerm
from shopkeeper.kernel.db import core_connection

FIELDS = ("title", "brand", "category", "attributes", "description", "reviews")
# FTS5 bm25() column weights (product_id column first, unindexed) and PostgreSQL weight classes.
FTS_WEIGHTS = "0, 10.0, 4.0, 3.0, 2.0, 1.0, 0.5"
PG_WEIGHTS = (
    "{0.1, 0.2, 0.4, 1.0}"  # D (description, reviews), C (attributes), B (brand, category), A (title)
)
_ENSURED: set[str] = set()


def _key(session: Session) -> str:
    bind = session.get_bind()
    return str(bind.engine.url if isinstance(bind, Connection) else bind.url)


def index_ready(session: Session) -> bool:
    """Whether the full-text structure exists (committed). Remembered once seen: it is never dropped."""
    key = _key(session)
    if key in _ENSURED:
        return True
    if session.get_bind().dialect.name == "sqlite":
        found = session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'")).first()
    else:
        found = session.execute(
            text(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'search_documents' AND column_name = 'tsv'"
            )
        ).first()
    if found is not None:
        _ENSURED.add(key)
    return found is not None


def ensure_index(session: Session) -> None:
    """Create the dialect's full-text structure (idempotent; survives migrations that only know the
    plain tables). Not remembered as done here: this transaction may still roll back."""
    if index_ready(session):
        return
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(product_id UNINDEXED, "
                + ", ".join(FIELDS)
                + ", tokenize = 'unicode61 remove_diacritics 0')"
            )
        )
    else:
        session.execute(
            text(
                "ALTER TABLE search_documents ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS ("
                "setweight(to_tsvector('simple', title), 'A') || "
                "setweight(to_tsvector('simple', brand || ' ' || category), 'B') || "
                "setweight(to_tsvector('simple', attributes), 'C') || "
                "setweight(to_tsvector('simple', description || ' ' || reviews), 'D')) STORED"
            )
        )
        session.execute(
            text("CREATE INDEX IF NOT EXISTS ix_search_documents_tsv ON search_documents USING gin (tsv)")
        )


def _upsert_terms(session: Session, counts: Counter[str]) -> None:
    if not counts:
        return
    ins = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    rows = [{"term": t[:120], "df": n} for t, n in counts.items() if n]
    if not rows:
        return
    # one statement, executed for many rows: compiled once (a 2,000-row VALUES list is compiled
    # anew each time, which cost more than the upsert itself on a 54k-product import)
    stmt = ins(SearchTerm)
    stmt = stmt.on_conflict_do_update(index_elements=["term"], set_={"df": SearchTerm.df + stmt.excluded.df})
    for i in range(0, len(rows), 5000):
        session.execute(stmt, rows[i : i + 5000])


def bump(session: Session, key: str, by: int = 1) -> int:
    """Increment a catalog counter (index version, document-length sum) and return its new value."""
    row = session.get(CatalogState, key)
    if row is None:
        row = CatalogState(key=key, value=0)
        session.add(row)
    row.value += by
    session.flush()
    return row.value


_READ_STATE = select(CatalogState.value).where(CatalogState.key == bindparam("key"))


def read_state(session: Session, key: str) -> int:
    """A Core statement built once: every search reads the index version (the ORM path cost more
    than the read)."""
    return int(core_connection(session).execute(_READ_STATE, {"key": key}).scalar() or 0)


def doc_length(doc: dict[str, str]) -> int:
    return sum(len(doc[f].split()) for f in FIELDS)


def write_documents(session: Session, docs: list[dict[str, str]]) -> None:
    """Replace the index entries of these products (docs carry product_id, raw_title and FIELDS)."""
    ensure_index(session)
    ids = [d["product_id"] for d in docs]
    old = session.execute(select(SearchDocument).where(SearchDocument.product_id.in_(ids))).scalars().all()
    counts: Counter[str] = Counter()
    length_delta = 0
    for o in old:
        prev = {f: getattr(o, f) for f in FIELDS}
        counts.subtract(set(" ".join(prev.values()).split()))
        length_delta -= doc_length(prev)
    if old:
        session.execute(delete(SearchDocument).where(SearchDocument.product_id.in_(ids)))
        if session.get_bind().dialect.name == "sqlite":
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join(f":p{j}" for j in range(len(chunk)))
                session.execute(
                    text(f"DELETE FROM search_fts WHERE product_id IN ({marks})"),
                    {f"p{j}": pid for j, pid in enumerate(chunk)},
                )
    seq = bump(session, "index_version")
    for d in docs:
        counts.update(set(" ".join(d[f] for f in FIELDS).split()))
        length_delta += doc_length(d)
    rows = [
        {**{f: d[f] for f in FIELDS}, "product_id": d["product_id"], "raw_title": d["raw_title"], "seq": seq}
        for d in docs
    ]
    for i in range(0, len(rows), 1000):
        session.execute(insert(SearchDocument), rows[i : i + 1000])
    if session.get_bind().dialect.name == "sqlite":
        cols = ", ".join(("product_id", *FIELDS))
        session.execute(
            text(f"INSERT INTO search_fts ({cols}) SELECT {cols} FROM search_documents WHERE seq = :seq"),
            {"seq": seq},
        )
    _upsert_terms(session, counts)
    bump(session, "doc_length_sum", length_delta)


def delete_documents(session: Session, product_ids: Iterable[str]) -> None:
    ids = list(product_ids)
    old = session.execute(select(SearchDocument).where(SearchDocument.product_id.in_(ids))).scalars().all()
    counts: Counter[str] = Counter()
    for o in old:
        counts.subtract(set(" ".join(getattr(o, f) for f in FIELDS).split()))
    session.execute(delete(SearchDocument).where(SearchDocument.product_id.in_(ids)))
    if session.get_bind().dialect.name == "sqlite":
        for pid in ids:
            session.execute(text("DELETE FROM search_fts WHERE product_id = :p"), {"p": pid})
    _upsert_terms(session, counts)
    bump(session, "index_version")
    bump(session, "doc_length_sum", -sum(doc_length({f: getattr(o, f) for f in FIELDS}) for o in old))


_FTS_QUERY = text(
    f"SELECT product_id, bm25(search_fts, {FTS_WEIGHTS}) AS r FROM search_fts "
    "WHERE search_fts MATCH :q ORDER BY r LIMIT :n"
)
_PG_QUERY = text(
    f"SELECT product_id, ts_rank('{PG_WEIGHTS}', tsv, q) AS r FROM search_documents, "
    "to_tsquery('simple', :q) q WHERE tsv @@ q ORDER BY r DESC, product_id LIMIT :n"
)


def lexical_candidates(session: Session, terms: list[str], limit: int) -> list[tuple[str, float]]:
    """Products matching any term, best first by the backend's own weighted rank."""
    terms = [t for t in dict.fromkeys(terms) if t.replace("_", "").isalnum()]
    if not terms or not index_ready(session):  # nothing was ever indexed; a read creates nothing
        return []
    if session.get_bind().dialect.name == "sqlite":
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = core_connection(session).execute(_FTS_QUERY, {"q": match, "n": limit}).all()
        return [(pid, -float(r)) for pid, r in rows]
    query = " | ".join(f"'{t}'" for t in terms)
    rows = core_connection(session).execute(_PG_QUERY, {"q": query, "n": limit}).all()
    return [(pid, float(r)) for pid, r in rows]


def fetch_documents(session: Session, product_ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    cols = [getattr(SearchDocument, f) for f in FIELDS]
    for i in range(0, len(product_ids), 500):
        rows = session.execute(
            select(SearchDocument.product_id, SearchDocument.raw_title, *cols).where(
                SearchDocument.product_id.in_(product_ids[i : i + 500])
            )
        ).all()
        for row in rows:
            out[row[0]] = {"raw_title": row[1], **dict(zip(FIELDS, row[2:], strict=True))}
    return out


def load_stats(session: Session) -> tuple[dict[str, int], int, float]:
    """(document frequency per term, number of documents, mean document length)."""
    df = {t: n for t, n in session.execute(select(SearchTerm.term, SearchTerm.df).where(SearchTerm.df > 0))}
    n_docs = int(session.execute(select(func.count()).select_from(SearchDocument)).scalar() or 0)
    total = read_state(session, "doc_length_sum")
    return df, n_docs, (total / n_docs if n_docs else 1.0)


def touch_popularity(session: Session, product_id: str, by: int) -> None:
    from shopkeeper.catalog.store import Product

    session.execute(
        update(Product).where(Product.id == product_id).values(popularity=Product.popularity + by)
    )
