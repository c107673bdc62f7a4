"""Customer services on a real database: recognition per channel, contacts, addresses, consent
history, activity events, merging proven identities, and the agent-desk profile."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from shopkeeper.customers import (
    ActivityRecorded,
    Address,
    CustomerCreated,
    CustomerNotFound,
    CustomersMerged,
    InvalidActivity,
    InvalidConsent,
    customer_profile,
    find_by_contact,
    get_customer,
    has_consent,
    link_identity,
    list_addresses,
    record_activity,
    record_consent,
    resolve_customer,
    save_address,
    update_contact,
    withdraw_all,
)
from shopkeeper.kernel.db import Database

HOME = Address("Ada Lovelace", "Hauptstraße 1", "Berlin", "10115", "DE")


def new_customer(db: Database, channel: str = "webchat", external_id: str = "visitor-1", **kw: str) -> str:
    with db.session() as s:
        return resolve_customer(s, channel, external_id, **kw).id


def test_first_sight_creates_a_customer_and_later_messages_find_the_same_one(database: Database) -> None:
    created: list[object] = []
    database.bus.subscribe(CustomerCreated, created.append)
    first = new_customer(database, profile_name="Ada", language="pl")
    second = new_customer(database)
    other_channel = new_customer(database, channel="telegram")
    with database.session() as s:
        customer = get_customer(s, first)
    assert first == second != other_channel and first.startswith("cus_")
    assert (customer.name, customer.language) == ("Ada", "pl")
    assert len(created) == 2


def test_concurrent_first_messages_from_one_visitor_yield_one_customer(database: Database) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(lambda _: new_customer(database, external_id="racer"), range(12)))
    assert len(ids) == 1


def test_contact_is_validated_and_normalised(database: Database) -> None:
    cid = new_customer(database)
    with database.session() as s:
        customer = update_contact(
            s, cid, name=" Ada  Lovelace ", email="Ada@Example.com", phone="0151 23456789", country="DE"
        )
    assert (customer.name, customer.email, customer.phone) == (
        "Ada Lovelace",
        "Ada@example.com",
        "+4915123456789",
    )
    with database.session() as s:
        assert [c.id for c in find_by_contact(s, email="ada@EXAMPLE.com")] == [cid]


def test_saving_the_same_address_twice_keeps_one(database: Database) -> None:
    cid = new_customer(database)
    with database.session() as s:
        a = save_address(s, cid, HOME)
        b = save_address(s, cid, Address("ada lovelace", "Hauptstraße  1", "BERLIN", "10115", "de"))
        c = save_address(s, cid, Address("Ada Lovelace", "Dorfweg 2", "Potsdam", "14467", "DE"))
    with database.session() as s:
        stored = list_addresses(s, cid)
    assert a.id == b.id != c.id and a.id is not None and a.id.startswith("adr_")
    assert {x.id for x in stored} == {a.id, c.id}


def test_latest_consent_statement_wins_per_purpose_and_channel(database: Database) -> None:
    cid = new_customer(database)
    with database.session() as s:
        assert not has_consent(s, cid, "marketing", "whatsapp")  # no statement means no
        record_consent(s, cid, "marketing", "whatsapp", True, "checkout checkbox")
        record_consent(s, cid, "order_updates", "whatsapp", True, "checkout checkbox")
        assert has_consent(s, cid, "marketing", "whatsapp")
        assert not has_consent(s, cid, "marketing", "sms")
        withdraw_all(s, cid, "whatsapp", "keyword:STOP")
        assert not has_consent(s, cid, "marketing", "whatsapp")
        assert not has_consent(s, cid, "order_updates", "whatsapp")
        record_consent(s, cid, "marketing", "whatsapp", True, "keyword:START")
        assert has_consent(s, cid, "marketing", "whatsapp")
        with pytest.raises(InvalidConsent):
            record_consent(s, cid, "spam", "whatsapp", True, "?")


def test_activity_is_recorded_and_announced(database: Database) -> None:
    heard: list[ActivityRecorded] = []
    database.bus.subscribe(ActivityRecorded, heard.append)
    cid = new_customer(database)
    with database.session() as s:
        record_activity(s, cid, "product_viewed", {"product_id": "prd_1"})
        with pytest.raises(InvalidActivity):
            record_activity(s, cid, "teleported", {})
    assert [(e.customer_id, e.kind, e.data) for e in heard] == [
        (cid, "product_viewed", {"product_id": "prd_1"})
    ]


def test_linking_an_identity_owned_by_another_profile_merges_them(database: Database) -> None:
    merged: list[CustomersMerged] = []
    database.bus.subscribe(CustomersMerged, merged.append)
    web = new_customer(database, "webchat", "visitor-9")
    wa = new_customer(database, "whatsapp", "48601234567", profile_name="Ada L")
    with database.session() as s:
        save_address(s, wa, HOME)
        record_consent(s, wa, "order_updates", "whatsapp", True, "opt-in message")
        record_activity(s, wa, "searched", {"text": "boots"})
        update_contact(s, wa, phone="+48601234567")
    with database.session() as s:
        survivor = link_identity(s, web, "whatsapp", "48601234567")
    with database.session() as s:
        profile = customer_profile(s, web)
        assert resolve_customer(s, "whatsapp", "48601234567").id == web
        assert get_customer(s, wa).id == web  # old ids still resolve
        assert has_consent(s, wa, "order_updates", "whatsapp")
    assert survivor.id == web and (survivor.name, survivor.phone) == ("Ada L", "+48601234567")
    assert {(i.channel, i.external_id) for i in profile.identities} == {
        ("webchat", "visitor-9"),
        ("whatsapp", "48601234567"),
    }
    assert [a.line1 for a in profile.addresses] == ["Hauptstraße 1"]
    assert [a.kind for a in profile.recent_activity] == ["searched"]
    assert [(c.purpose, c.channel, c.granted) for c in profile.consents] == [
        ("order_updates", "whatsapp", True)
    ]
    assert profile.merged_ids == [wa]
    assert [(m.customer_id, m.merged_customer_id) for m in merged] == [(web, wa)]


def test_linking_a_new_identity_just_attaches_it(database: Database) -> None:
    cid = new_customer(database)
    with database.session() as s:
        link_identity(s, cid, "email", "ada@example.com")
        link_identity(s, cid, "email", "ada@example.com")  # again: nothing changes
    with database.session() as s:
        assert resolve_customer(s, "email", "ada@example.com").id == cid
        assert len(customer_profile(s, cid).identities) == 2


def test_unknown_customer_raises(database: Database) -> None:
    with database.session() as s, pytest.raises(CustomerNotFound):
        get_customer(s, "cus_missing")
