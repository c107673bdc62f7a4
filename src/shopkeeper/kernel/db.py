"""Database plumbing: the declarative Base, engines for SQLite and PostgreSQL, unit-of-work sessions.

Domain packages declare their tables on `Base`; nothing here knows a domain word.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool
from sqlalchemy.types import TypeDecorator

from shopkeeper.kernel.events import EventBus

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back timezone-aware datetimes (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; use kernel.clock.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UTCDateTime,
    }


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> Engine:
    """An engine tuned per backend: SQLite in WAL with a busy timeout, PostgreSQL with a pool."""
    if is_sqlite(url):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if memory else NullPool if pool_size == 0 else None,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # autocommit off at the driver level; SQLAlchemy emits BEGIN itself (below) so that
            # writers take the lock up front (BEGIN IMMEDIATE) instead of deadlocking on upgrade.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write", True) else "BEGIN")

        return engine
    return create_engine(url, echo=echo, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)


AfterCommit = Callable[[list[object]], None]


class WriterLockTimeout(RuntimeError):
    """Another writer held the SQLite database for longer than the wait allowed."""


class SqliteWriterLock:
    """Chat turns on a SQLite file one at a time, across the threads of this process and across
    processes (`shopkeeper serve --workers N`). SQLite's own busy handler polls with sleeps of up to
    100 ms, so a turn queued there starts up to 100 ms after the write lock is free; here the next
    turn wakes the moment the previous one commits (a thread lock, then flock(2) on a file beside the
    database, which the kernel releases if a process dies). Only turns take it: the other, short
    writers (outbox, webhooks, requests) still queue in SQLite's busy handler, which in one process
    measured faster than putting every write transaction behind this lock (benchmarks/RESULTS.md).

    Not owned by a thread, so any thread may release it (a thread-owned version, held in FastAPI's
    session dependency, which enters and exits on different threadpool threads, deadlocked). Not
    re-entrant either: a turn opened inside a turn would wait on SQLite's lock anyway, so it times
    out with WriterLockTimeout instead of "database is locked"."""

    def __init__(self, database_file: Path | None, timeout_s: float = 30.0) -> None:
        # an in-memory database (None) lives in this process: the thread lock alone
        self.path = database_file.with_name(database_file.name + "-writer.lock") if database_file else None
        self.timeout_s = timeout_s
        self._thread = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        assert self.path is not None
        if self._fd is None or self._pid != os.getpid():  # a forked child opens its own description
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    @contextmanager
    def hold(self) -> Iterator[None]:
        deadline = time.monotonic() + self.timeout_s
        if not self._thread.acquire(timeout=self.timeout_s):
            raise WriterLockTimeout(f"no write access to the database within {self.timeout_s:.0f} s")
        try:
            if self.path is None:
                yield
                return
            self._lock_file(deadline)
            try:
                yield
            finally:
                fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._thread.release()

    def _lock_file(self, deadline: float) -> None:
        # another process's writer: poll every 0.1-2 ms (a blocking flock cannot time out)
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WriterLockTimeout(
                        f"no write access to the database within {self.timeout_s:.0f} s"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for in-memory databases and other backends."""
    if not is_sqlite(url) or url in ("sqlite://", "sqlite:///:memory:"):
        return None
    return Path(url.split(":///", 1)[1].split("?", 1)[0])


class Database:
    """Owns the engine and hands out unit-of-work sessions.

    Events recorded on a session with `record_event` are handed to `after_commit` once the
    transaction has committed, so nobody hears of a change that was rolled back.
    """

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 10, bus: EventBus | None = None
    ) -> None:
        self.url = url
        self.bus = bus or EventBus()
        self.engine = make_engine(url, echo=echo, pool_size=pool_size)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.after_commit: list[AfterCommit] = []
        self.writer_lock = SqliteWriterLock(sqlite_file(url)) if is_sqlite(url) else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commits on success, rolls back on any error."""
        session = self._sessions()
        session.info["events"] = []
        session.info["bus"] = self.bus
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        events = session.info.get("events") or []
        if events:
            self.bus.publish_all(list(events))
            for hook in self.after_commit:
                hook(list(events))

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A transaction that only reads: a plain BEGIN on SQLite (not BEGIN IMMEDIATE), so it
        never queues behind the one writer. Writing inside it is a mistake (it may fail)."""
        with self.engine.connect() as conn:
            conn.info["write"] = False
            try:
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield session
            finally:
                conn.info.pop("write", None)

    def create_all(self) -> None:
        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def core_connection(session: Session) -> Connection:
    """The session's connection, for a Core statement built once at import on a hot path (no
    statement building, no cache key, no ORM execution layer per call). Pending ORM changes are
    flushed first, as `session.execute` would (autoflush), so the statement sees them."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection()


def record_event(session: Session, event_obj: object) -> None:
    """Publish a domain event: in-transaction listeners run now, in this transaction; the others
    hear of it once the transaction has committed (never if it rolls back)."""
    bus = session.info.get("bus")
    if isinstance(bus, EventBus):
        bus.publish_in_transaction(session, event_obj)
    session.info.setdefault("events", []).append(event_obj)
