from dataclasses import dataclass

from shopkeeper.kernel.events import EventBus


@dataclass(frozen=True)
class ThingHappened:
    n: int


def test_a_failing_listener_does_not_stop_the_others() -> None:
    bus = EventBus()
    heard: list[int] = []

    def broken(_: ThingHappened) -> None:
        raise RuntimeError("boom")

    bus.subscribe(ThingHappened, broken)
    bus.subscribe(ThingHappened, lambda e: heard.append(e.n))
    bus.publish(ThingHappened(3))
    assert heard == [3]
