"""Views remembered within one database transaction (a chat turn reads one cart or order several
times). Every change of a remembered row goes through its owning module, which forgets the view
first, so the view read last stays true; a rollback (also of a savepoint) forgets them all."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


V = TypeVar("V", bound=_HasId)


class TransactionMemo(Generic[V]):
    """Views keyed by id in `session.info[key]`; `forget_on_commit` also drops them at commit."""

    def __init__(self, key: str, *, forget_on_commit: bool = False) -> None:
        self.key = key
        event.listen(Session, "after_soft_rollback", self._drop_after_rollback)
        if forget_on_commit:
            event.listen(Session, "after_commit", self._drop)

    def views(self, session: Session) -> dict[str, V]:
        memo: dict[str, V] = session.info.setdefault(self.key, {})
        return memo

    def get(self, session: Session, view_id: str) -> V | None:
        return self.views(session).get(view_id)

    def remember(self, session: Session, view: V) -> V:
        self.views(session)[view.id] = view
        return view

    def forget(self, session: Session, view_id: str) -> None:
        session.info.get(self.key, {}).pop(view_id, None)

    def _drop(self, session: Session) -> None:
        session.info.pop(self.key, None)

    def _drop_after_rollback(self, session: Session, previous_transaction: Any) -> None:
        session.info.pop(self.key, None)
