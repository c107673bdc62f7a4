"""The SQLite writer lock: one writing transaction at a time across threads and processes."""

from __future__ import annotations

import multiprocessing as mp
import threading
from pathlib import Path

import pytest

from shopkeeper.kernel.db import Database, SqliteWriterLock, WriterLockTimeout, sqlite_file


def _hold(path: str, started: object, release: object) -> None:
    lock = SqliteWriterLock(Path(path))
    with lock.hold():
        started.set()  # type: ignore[attr-defined]
        release.wait(10)  # type: ignore[attr-defined]


def test_a_writer_in_another_process_keeps_this_one_waiting_until_it_commits(tmp_path: Path) -> None:
    db_file = tmp_path / "shop.db"
    ctx = mp.get_context("spawn")
    started, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(str(db_file), started, release))
    other.start()
    try:
        assert started.wait(30)
        lock = SqliteWriterLock(db_file, timeout_s=0.2)
        with pytest.raises(WriterLockTimeout), lock.hold():
            pass
        release.set()
        other.join(10)
        with lock.hold():  # free again once the other process let go
            pass
    finally:
        release.set()
        other.join(10)


def test_threads_write_one_after_another(tmp_path: Path) -> None:
    lock = SqliteWriterLock(tmp_path / "shop.db")
    order: list[str] = []

    def second() -> None:
        with lock.hold():
            order.append("second")

    with lock.hold():
        order.append("first")
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.2)  # the other thread is now queued behind this one
        order.append("first done")
    thread.join(5)
    assert order == ["first", "first done", "second"]


def test_the_lock_may_be_released_by_another_thread_than_the_one_that_took_it(tmp_path: Path) -> None:
    # FastAPI enters a request's session dependency on one threadpool thread and exits it on another
    lock = SqliteWriterLock(tmp_path / "shop.db", timeout_s=2.0)
    held = lock.hold()
    entered = threading.Thread(target=held.__enter__)
    entered.start()
    entered.join(5)
    leave = threading.Thread(target=held.__exit__, args=(None, None, None))
    leave.start()
    leave.join(5)
    with lock.hold():  # free again, in this (third) thread
        pass


def test_a_write_opened_inside_a_write_times_out_with_a_clear_error(tmp_path: Path) -> None:
    lock = SqliteWriterLock(tmp_path / "shop.db", timeout_s=0.2)
    with lock.hold(), pytest.raises(WriterLockTimeout), lock.hold():
        pass


def test_sqlite_databases_have_a_writer_lock_and_only_files_lock_across_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    assert sqlite_file(url) == tmp_path / "shop.db"
    assert sqlite_file("sqlite://") is None and sqlite_file("postgresql+psycopg://root@h/test") is None
    db = Database(url)
    assert db.writer_lock is not None and db.writer_lock.path == tmp_path / "shop.db-writer.lock"
    memory = Database("sqlite://")
    assert memory.writer_lock is not None and memory.writer_lock.path is None
    order: list[str] = []

    def second() -> None:
        assert memory.writer_lock is not None
        with memory.writer_lock.hold():
            order.append("second")

    with memory.writer_lock.hold():  # an in-memory database still orders this process's threads
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.2)
        order.append("first")
    thread.join(5)
    assert order == ["first", "second"]
    db.dispose()
    memory.dispose()
