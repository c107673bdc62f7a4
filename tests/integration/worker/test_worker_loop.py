from sqlalchemy import select

from shopkeeper.bootstrap import Services
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.events import EventBus
from shopkeeper.kernel.outbox import SENT, OutboxMessage, SendResult, enqueue
from shopkeeper.settings import Settings
from shopkeeper.worker import BackgroundWorker


def test_worker_pass_delivers_due_messages_and_housekeeping_runs_periodic_jobs(database: Database) -> None:
    sent: list[str] = []
    ran: list[str] = []
    services = Services(settings=Settings(), db=database, bus=EventBus())
    services.senders["channel.test"] = lambda m: sent.append(m.destination) or SendResult(ok=True)
    services.extras["periodic"] = [lambda svc: ran.append("job")]
    with database.session() as s:
        enqueue(s, "channel.test", "+421900000001", {"text": "hi"})
    worker = BackgroundWorker(services)
    assert worker.tick() == 1
    worker.housekeeping()
    assert sent == ["+421900000001"] and ran == ["job"]
    with database.session() as s:
        assert s.scalars(select(OutboxMessage.status)).one() == SENT
    assert worker.tick() == 0
