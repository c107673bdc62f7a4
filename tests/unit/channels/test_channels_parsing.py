"""Every inbound kind of every provider parses into the canonical message (or status) it means."""

from __future__ import annotations

from typing import Any

from channel_fixtures import fixture_request, make_adapters

from shopkeeper.channels.messages import InboundMessage
from shopkeeper.channels.port import Ignored, StatusUpdate


def parse(provider: str, name: str) -> list[Any]:
    adapter: Any = make_adapters()[provider]
    return list(adapter.parse(fixture_request(provider, name)))


def one_message(provider: str, name: str) -> InboundMessage:
    items = parse(provider, name)
    assert len(items) == 1 and isinstance(items[0], InboundMessage), items
    return items[0]


def test_whatsapp_text_keeps_non_ascii_and_profile() -> None:
    m = one_message("whatsapp", "text")
    assert m.text == "hi, I need running shoes żółte 👟"
    assert (m.channel, m.sender_id, m.channel_account) == ("whatsapp", "48600111222", "1122334455667")
    assert m.message_id.startswith("wamid.") and m.profile_name == "Ana Kowalska" and m.sent_at is not None


def test_whatsapp_button_list_and_template_replies_carry_payloads() -> None:
    assert one_message("whatsapp", "button_reply").payload == "/cart"
    listed = one_message("whatsapp", "list_reply")
    assert (listed.payload, listed.text) == ("/product prd_0192ab12cd34ef56", "Trail Runner 2")
    assert one_message("whatsapp", "template_button").payload == "/order ord_123"


def test_whatsapp_location_image_and_catalog_order() -> None:
    loc = one_message("whatsapp", "location").location
    assert loc is not None and loc.latitude == 52.2297 and loc.name == "Home"
    img = one_message("whatsapp", "image")
    assert img.attachments[0].provider_media_id == "1479537139650973" and img.text == "like these?"
    order = one_message("whatsapp", "order").order_items
    # item_price 119.99 is major units: stored as integer minor units, never a float
    assert order == [
        {
            "product_retailer_id": "TR2-43-BLK",
            "quantity": 2,
            "unit_price_minor": 11999,
            "currency": "EUR",
            "catalog_id": "CAT123",
        }
    ]


def test_whatsapp_reaction_is_ignored_not_fed_to_the_bot() -> None:
    assert isinstance(parse("whatsapp", "reaction")[0], Ignored)


def test_whatsapp_statuses() -> None:
    for name, status in (("status_sent", "sent"), ("status_delivered", "delivered"), ("status_read", "read")):
        (upd,) = parse("whatsapp", name)
        assert (
            isinstance(upd, StatusUpdate) and upd.status == status and upd.provider_message_id == "wamid.OUT1"
        )
    (failed,) = parse("whatsapp", "status_failed")
    assert failed.status == "failed" and failed.error is not None and "131047" in failed.error


def test_messenger_kinds() -> None:
    assert one_message("messenger", "text").text == "hi, I need running shoes"
    qr = one_message("messenger", "quick_reply")
    assert qr.payload == "/show_more"  # quick reply checked before text
    pb = one_message("messenger", "postback")
    assert (pb.payload, pb.text) == ("/add var_0192ab12cd34ef56", "Add to cart")
    assert one_message("messenger", "image").attachments[0].url == "https://scontent.example/img.jpg"
    loc = one_message("messenger", "location").location
    assert loc is not None and loc.longitude == 17.1077
    assert isinstance(parse("messenger", "echo")[0], Ignored)
    (delivered,) = parse("messenger", "delivery")
    assert isinstance(delivered, StatusUpdate) and delivered.status == "delivered"
    (read,) = parse("messenger", "read")
    assert (
        isinstance(read, StatusUpdate)
        and read.watermark is not None
        and read.recipient_id == "6543210987654321"
    )


def test_instagram_kinds_and_seen_by_message_id() -> None:
    m = one_message("instagram", "text")
    assert (m.channel, m.sender_id) == ("instagram", "3456789012345678")
    assert one_message("instagram", "postback").payload == "/add var_0192ab12cd34ef56"
    (seen,) = parse("instagram", "read")
    assert isinstance(seen, StatusUpdate) and seen.provider_message_id is not None and seen.status == "read"


def test_telegram_kinds() -> None:
    m = one_message("telegram", "text")
    assert (m.sender_id, m.locale_hint, m.profile_name) == ("987654321", "sk", "Jana Nováková")
    cq = one_message("telegram", "callback_query")
    assert cq.payload == "/add var_0192ab12cd34ef56" and cq.raw["callback_query_id"] == "4382bfdwdsb323b2d9"
    assert one_message("telegram", "location").location is not None
    assert one_message("telegram", "photo").attachments[0].provider_media_id == "AgAD-big"


def test_twilio_sms_and_whatsapp_kinds() -> None:
    sms = one_message("twilio", "sms_text")
    assert (sms.channel, sms.sender_id, sms.message_id) == (
        "sms",
        "+15551234567",
        "SM10000000000000000000000000000001",
    )
    assert one_message("twilio", "sms_mms").attachments[0].mime_type == "image/jpeg"
    wa = one_message("twilio", "whatsapp_text")
    assert (wa.channel, wa.sender_id, wa.profile_name) == ("twilio_whatsapp", "+48600111222", "Ana")
    assert one_message("twilio", "whatsapp_button").payload == "/cart"
    assert one_message("twilio", "whatsapp_location").location is not None


def test_twilio_status_callbacks() -> None:
    (delivered,) = parse("twilio", "status_delivered")
    assert isinstance(delivered, StatusUpdate) and delivered.status == "delivered"
    (failed,) = parse("twilio", "status_failed")
    assert failed.status == "failed" and failed.error is not None and failed.error.startswith("30003")
    (read,) = parse("twilio", "status_read")
    assert read.status == "read" and read.channel == "twilio_whatsapp"
