from collections.abc import Iterator

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from shopkeeper import staff
from shopkeeper.bootstrap import Services
from shopkeeper.kernel.db import Database
from shopkeeper.kernel.events import EventBus
from shopkeeper.settings import Settings
from shopkeeper.web.api import auth as auth_api
from shopkeeper.web.auth import current_shopper, issue_shopper_token
from shopkeeper.web.errors import install_error_handlers


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.services = Services(settings=Settings(secret_key="test-secret"), db=database, bus=EventBus())
    install_error_handlers(app)
    app.include_router(auth_api.router)

    @app.get("/whoami")
    def whoami(customer_id: str = Depends(current_shopper)) -> dict[str, str]:
        return {"customer_id": customer_id}

    with database.session() as s:
        staff.create_agent(s, "ana@shop.example", "Ana", "correct horse", role="supervisor")
    with TestClient(app) as c:
        yield c


def test_agent_login_gives_a_token_that_opens_me(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"email": "ana@shop.example", "password": "correct horse"})
    assert r.status_code == 200
    token = r.json()["token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["role"] == "supervisor"


def test_wrong_password_is_401_with_the_error_shape(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"email": "ana@shop.example", "password": "nope"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"


def test_shopper_token_is_required_and_must_be_ours(client: TestClient) -> None:
    assert client.get("/whoami").status_code == 401
    forged = issue_shopper_token(Settings(secret_key="another-secret"), "cus_1")
    assert client.get("/whoami", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    good = issue_shopper_token(Settings(secret_key="test-secret"), "cus_1")
    r = client.get("/whoami", headers={"Authorization": f"Bearer {good}"})
    assert r.json() == {"customer_id": "cus_1"}


def test_agent_token_is_not_a_shopper_token(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"email": "ana@shop.example", "password": "correct horse"})
    token = r.json()["token"]
    assert client.get("/whoami", headers={"Authorization": f"Bearer {token}"}).status_code == 401
