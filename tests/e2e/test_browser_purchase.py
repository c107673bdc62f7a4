"""One purchase in a real headless Chromium: the real app (temp SQLite, demo catalog, in-process
worker) under uvicorn; the shopper searches in the <shop-chat> widget, opens a product, picks a
size, checks out with name, e-mail and address, chooses shipping, pays on the demo payment page in
a new window, and sees the paid order pushed back into the widget."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from e2e_browser import artifacts_fixture, browser_fixture  # noqa: F401  (fixtures)
from e2e_server import free_port, serve
from playwright.sync_api import Locator, Page, expect

from shopkeeper import orders
from shopkeeper.bootstrap import Services, build_services
from shopkeeper.seeding import ensure_demo_data
from shopkeeper.settings import Settings
from shopkeeper.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
BOT_TURNS = "div.turn.bot"  # Playwright's CSS engine pierces the widget's open shadow root
TURN_S = 45_000  # ms; generous: the first turn loads the language models on a shared 2-core machine


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[str, Services]]:
    port = free_port()
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'shop.db'}",
        base_url=f"http://127.0.0.1:{port}",
        outbox_poll_s=0.2,
    )
    services = build_services(settings)
    ensure_demo_data(services)
    with serve(create_app(services), port) as base:  # with the worker: webhooks and chat pushes flow
        _warm_up(base)
        yield base, services


def _warm_up(base: str) -> None:
    """One throwaway REST turn, so the shopper's first message does not also pay for loading the
    language models (a cold first turn holds the SQLite write lock for that long; see the report)."""
    with httpx2.Client(base_url=base, timeout=120) as http:
        token = http.post("/api/v1/chat/sessions", json={"visitor_id": None, "language": "en"}).json()[
            "token"
        ]
        turn = http.post(
            "/api/v1/chat/messages", json={"text": "hello"}, headers={"Authorization": f"Bearer {token}"}
        )
        turn.raise_for_status()


def _answer(page: Page, chat: Locator, text: str) -> None:
    """Type like a shopper and wait until the bot has said something back."""
    before = page.locator(BOT_TURNS).count()
    chat.get_by_role("textbox").fill(text)
    chat.get_by_role("button", name="Send").click()
    expect(page.locator(BOT_TURNS)).not_to_have_count(before, timeout=TURN_S)
    expect(chat.get_by_role("status", name="Assistant is typing")).to_be_hidden(timeout=TURN_S)


def test_shopper_buys_boots_in_the_widget_and_sees_the_paid_order(
    browser: Any, shop: tuple[str, Services], artifacts: Path
) -> None:
    base, services = shop
    context = browser.new_context(viewport={"width": 1200, "height": 860}, locale="en-US")
    page = context.new_page()
    page.goto(f"{base}/?lang=en")
    expect(page.get_by_role("heading", name=services.settings.shop_name, level=1)).to_be_visible()

    page.get_by_role("button", name="Chat with us").click()
    chat = page.get_by_role("dialog", name="Shop assistant")
    expect(chat.get_by_text("Hi! Ask me for anything in the shop.")).to_be_visible()
    _answer(page, chat, "waterproof hiking boots under 120 euros, size 43")
    boots = chat.get_by_role("listitem").filter(has_text=re.compile("Hiking Boots"))
    expect(boots.first).to_be_visible(timeout=TURN_S)
    page.wait_for_timeout(300)  # let the smooth scroll settle for the picture
    page.screenshot(path=str(artifacts / "purchase-search.png"))

    boots.first.get_by_role("button").first.click()  # the card's first action opens the product
    size = chat.get_by_role("button", name=re.compile(r"^43\b"))
    expect(size.first).to_be_visible(timeout=TURN_S)
    size.first.click()
    cart = chat.get_by_role("region", name="Cart").last
    expect(cart).to_contain_text("43", timeout=TURN_S)
    cart.get_by_role("button", name=re.compile("check ?out", re.I)).click()
    expect(page.locator(BOT_TURNS).last).to_contain_text(re.compile("name", re.I), timeout=TURN_S)

    _answer(page, chat, "Jana Nováková")
    _answer(page, chat, "jana.novakova@example.com")
    _answer(page, chat, "Hlavná 12, 811 01 Bratislava, Slovakia")
    courier = chat.get_by_role("button", name=re.compile("Courier"))
    expect(courier.last).to_be_visible(timeout=TURN_S)
    courier.last.click()

    pay = chat.get_by_role("button", name=re.compile(r"^Pay\b"))
    expect(pay.last).to_be_visible(timeout=TURN_S)
    page.screenshot(path=str(artifacts / "purchase-payment.png"))
    with page.expect_popup() as popup:
        pay.last.click()
    pay_page = popup.value
    pay_page.get_by_test_id("pay").click()
    expect(pay_page.get_by_test_id("status")).to_contain_text("Payment received", timeout=TURN_S)

    order = chat.get_by_role("region", name=re.compile(r"^Order\b"))
    expect(order.last).to_contain_text(re.compile("paid", re.I), timeout=TURN_S)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "purchase-confirmed.png"))

    customer_id = page.evaluate("JSON.parse(localStorage.getItem('shopkeeper.chat.v1')).customer_id")
    with services.db.session() as session:
        placed = orders.list_orders(session, customer_id)
    assert [o.status for o in placed] == ["paid"]
    assert "Bratislava" in str(placed[0].shipping_address)
    context.close()
