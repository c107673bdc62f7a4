import pytest

from shopkeeper import staff
from shopkeeper.kernel.db import Database


def test_agent_signs_in_with_the_right_password_only(database: Database) -> None:
    with database.session() as s:
        created = staff.create_agent(s, "Ana@Shop.example", "Ana", "correct horse", max_discount_percent=15)
    with database.session() as s:
        assert staff.authenticate(s, "ana@shop.example", "correct horse").id == created.id
        with pytest.raises(staff.InvalidCredentials):
            staff.authenticate(s, "ana@shop.example", "wrong password")
        with pytest.raises(staff.InvalidCredentials):
            staff.authenticate(s, "nobody@shop.example", "correct horse")


def test_duplicate_agent_email_is_refused(database: Database) -> None:
    with database.session() as s:
        staff.create_agent(s, "a@shop.example", "A", "password1")
    with database.session() as s, pytest.raises(staff.AgentExists):
        staff.create_agent(s, "A@shop.example", "A2", "password2")
