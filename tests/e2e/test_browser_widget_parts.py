"""The <shop-chat> widget in headless Chromium against a protocol stand-in: every part type renders
accessibly, buttons send their payloads, the payment opens a new window, Arabic turns the panel
right-to-left, history survives a reload, and the REST fallback works without WebSockets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_browser import artifacts_fixture, browser_fixture  # noqa: F401  (fixtures)
from e2e_server import serve
from fake_webchat import build_app
from playwright.sync_api import Page, expect

from shopkeeper.channels.messages import Reply, TextPart

pytestmark = pytest.mark.browser


@pytest.fixture
def fake() -> Iterator[tuple[str, Any]]:
    app = build_app()
    with serve(app) as base:
        yield base, app


def _open_chat(page: Page, base: str) -> Any:
    page.goto(base)
    page.get_by_role("button", name="Chat with us").click()
    chat = page.get_by_role("dialog", name="Shop assistant")
    expect(chat).to_be_visible()
    return chat


def _say(chat: Any, text: str) -> None:
    chat.get_by_role("textbox").fill(text)
    chat.get_by_role("textbox").press("Enter")


def test_widget_renders_every_part_and_sends_payloads(
    browser: Any, fake: tuple[str, Any], artifacts: Path
) -> None:
    base, _app = fake
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    chat = _open_chat(page, base)
    expect(chat.get_by_text("Hi! Ask me for anything in the shop.")).to_be_visible()

    _say(chat, "hello")
    chat.get_by_role("button", name="Boots", exact=True).click()
    boots = chat.get_by_role("listitem", name="Trail Boot 1")
    expect(boots).to_contain_text("€109.99")
    expect(boots).to_contain_text("€139.99")
    expect(boots.get_by_role("img", name=re.compile("4.5 out of 5 stars"))).to_be_visible()
    expect(chat.get_by_role("listitem", name="Trail Boot 3")).to_contain_text("Sold out")
    expect(chat.get_by_role("button", name="Boots", exact=True)).to_have_count(0)  # quick replies go away

    chat.get_by_role("button", name=re.compile("Show more")).click()
    expect(chat.get_by_role("listitem", name="Trail Boot 4")).to_be_visible()

    chat.get_by_role("listitem", name="Trail Boot 2").get_by_role("button", name="Details").click()
    expect(chat.get_by_role("img", name="Brown, side view")).to_be_visible()
    expect(chat.get_by_role("link", name="Size guide")).to_have_attribute("target", "_blank")
    chat.get_by_role("button", name="43", exact=True).click()
    cart = chat.get_by_role("region", name="Cart")
    expect(cart).to_contain_text("€116.89")
    expect(cart.get_by_role("button", name="Remove Trail Boot 1")).to_be_visible()
    page.wait_for_timeout(400)  # let the smooth scroll settle before the picture
    page.screenshot(path=str(artifacts / "widget-parts.png"))

    cart.get_by_role("button", name="Check out").click()
    pay = chat.get_by_role("button", name=re.compile("Pay €116.89"))
    with page.expect_popup() as popup:
        pay.click()
    expect(popup.value).to_have_url(re.compile(r"/paid$"))

    _say(chat, "/order")
    order = chat.get_by_role("region", name="Order SK-1001")
    expect(order).to_contain_text("Paid")
    expect(order.get_by_role("link", name="Track parcel")).to_be_visible()

    _say(chat, "a human agent please")
    expect(chat.get_by_role("status").filter(has_text="Waiting for a human agent")).to_be_visible()
    expect(chat.get_by_text("Ana here, how can I help?")).to_be_visible()

    chat.get_by_role("combobox", name="Language").select_option("ar")
    rtl = page.get_by_role("dialog", name="مساعد المتجر")
    expect(rtl).to_have_attribute("dir", "rtl")
    expect(rtl.get_by_text("مرحبًا! كيف يمكنني مساعدتك؟")).to_be_visible()
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "widget-rtl.png"))

    page.reload()  # the visitor comes back: same visitor id, history rendered once
    page.get_by_role("button", name="تحدث معنا").click()
    expect(page.get_by_role("listitem", name="Trail Boot 4")).to_have_count(1)
    context.close()


def test_widget_falls_back_to_rest_and_polls_for_later_messages(browser: Any, fake: tuple[str, Any]) -> None:
    base, app = fake
    context = browser.new_context()
    context.add_init_script("delete window.WebSocket;")
    page = context.new_page()
    chat = _open_chat(page, base)
    _say(chat, "show me boots")
    expect(chat.get_by_role("listitem", name="Trail Boot 1")).to_be_visible()
    assert app.state.rest_posts == 1

    app.state.push(Reply(parts=[TextPart(text="Your order SK-1001 is paid.")]))
    expect(chat.get_by_text("Your order SK-1001 is paid.")).to_be_visible(timeout=8000)
    expect(chat.get_by_text("Here are waterproof boots:")).to_have_count(
        1
    )  # the polled history added no copies
    context.close()
