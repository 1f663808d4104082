"""The fake gateway's data: deterministic, realistic, and big where it should be."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import httpx
import pytest

from smstui.domain.phones import display_number
from smstui.fake import FakeGateway
from smstui.fake.dataset import build_directory
from smstui.system.clock import FixedClock
from tests.fake.conftest import ANCHOR, AUTH

POLISH_LETTERS = set("ąęłńóśźżĄĘŁŃÓŚŹŻ")


@pytest.fixture(scope="module")
def full() -> Iterator[FakeGateway]:
    with FakeGateway(scale="full", anchor=ANCHOR, clock=FixedClock(ANCHOR)) as gw:
        yield gw


@pytest.fixture(scope="module")
def full_client(full: FakeGateway) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=full.url, headers=AUTH, trust_env=False, timeout=10) as c:
        yield c


def test_full_scale_sizes(full: FakeGateway) -> None:
    numbers = full.conversation_numbers()
    counts = {n: full.message_count(n) for n in numbers}
    assert len(numbers) >= 500
    assert counts[full.largest_conversation] >= 50_000
    assert max(counts, key=counts.__getitem__) == full.largest_conversation
    assert sum(1 for c in counts.values() if 1000 <= c <= 5000) >= 5
    rest = [c for n, c in counts.items() if c < 1000]
    assert min(rest) >= 1
    assert max(rest) <= 200


def test_full_scale_counterparties(full: FakeGateway) -> None:
    numbers = full.conversation_numbers()
    assert sum(n.startswith("48") for n in numbers) > 100
    assert sum(n.startswith("32") for n in numbers) > 80
    assert sum(n.startswith("31") for n in numbers) > 40
    assert {"InPost", "DHL", "mBank", "PostNL"} <= set(numbers)
    assert all(n.isdigit() and len(n) == 11 for n in numbers if n[0].isdigit())


def test_alphanumeric_senders_are_inbound_only(full_client: httpx.Client) -> None:
    items = full_client.get("/conversation/PostNL").json()["conversation"]
    assert items
    assert {m["direction"] for m in items} == {"inbound"}


def test_texts_are_realistic(full: FakeGateway, full_client: httpx.Client) -> None:
    inbox = full_client.get("/message/inbox", params={"limit": 2000}).json()["messages"]
    sent = full_client.get("/message/logging", params={"limit": 2000}).json()["messages"]
    texts = [m["message"] for m in inbox + sent]
    assert any(POLISH_LETTERS & set(t) for t in texts)
    assert any("\u200d" in t for t in texts), "no emoji ZWJ sequence"
    assert any(re.search(r"[\U0001F300-\U0001FAFF]", t) for t in texts)
    assert any("https://" in t for t in texts)
    assert any("\n" in t for t in texts)
    assert any(200 <= len(t) <= 460 for t in texts)
    assert any(re.search(r"\b(de|het|je|uw)\b", t) for t in texts), "no Dutch"
    assert any(re.search(r"\b(votre|vous|merci)\b", t) for t in texts), "no French"
    assert any(re.search(r"\b(your|thanks|order)\b", t, re.I) for t in texts), "no English"
    statuses = {m["status"] for m in sent}
    assert {"DELIVERED", "NOT DELIVERED", "REJECTED"} <= statuses


def test_attachments_and_the_broken_mime(full: FakeGateway, full_client: httpx.Client) -> None:
    largest = full.largest_conversation
    first = full_client.get(f"/conversation/{largest}", params={"limit": 50}).json()
    assert any(f["mime"] == "image/" for m in first["conversation"] for f in m["file"] or [])
    page = full_client.get(f"/conversation/{largest}", params={"limit": 2000, "page": 3}).json()
    files = [m["file"] for m in page["conversation"] if m["file"]]
    assert any(len(f) > 1 for f in files)
    mimes = {a["mime"] for f in files for a in f}
    assert {"image/png", "application/pdf"} <= mimes


def test_the_big_conversation_pages_deep(full: FakeGateway, full_client: httpx.Client) -> None:
    largest = full.largest_conversation
    total = full.message_count(largest)
    last_page = -(-total // 2000)
    last = full_client.get(f"/conversation/{largest}", params={"limit": 2000, "page": last_page})
    body = last.json()
    assert body["shown"] == total - 2000 * (last_page - 1)
    stamps = [m["unixDatetime"] for m in body["conversation"]]
    assert all(a > b for a, b in itertools.pairwise(stamps))
    assert ANCHOR - stamps[-1] > 3 * 365 * 86_400  # years of history


def test_newest_activity_spreads_over_about_90_days(
    full: FakeGateway, full_client: httpx.Client
) -> None:
    ages = []
    for number in full.conversation_numbers():
        top = full_client.get(f"/conversation/{number}", params={"limit": 1}).json()
        ages.append((ANCHOR - top["conversation"][0]["unixDatetime"]) / 86_400)
    assert ages == sorted(ages)  # conversation_numbers() is newest activity first
    assert 0 <= ages[0] < 1
    assert ages[-1] < 92
    assert sum(age > 30 for age in ages) > len(ages) / 10
    assert sum(age < 3 for age in ages) > len(ages) / 10


def _pages(gw: FakeGateway) -> list[str]:
    with httpx.Client(base_url=gw.url, headers=AUTH, trust_env=False) as client:
        paths = [
            ("/message/inbox", {"limit": 300, "page": 2}),
            ("/message/logging", {"limit": 300}),
            ("/contact", {"limit": 50}),
            (f"/conversation/{gw.largest_conversation}", {"limit": 200, "page": 2}),
            (f"/conversation/{gw.conversation_numbers()[5]}", {}),
        ]
        origin = gw.url.removesuffix("/v1")
        return [client.get(p, params=q).text.replace(origin, "ORIGIN") for p, q in paths]


def test_same_seed_and_anchor_give_identical_pages() -> None:
    with (
        FakeGateway(scale="small", seed=3, anchor=ANCHOR, clock=FixedClock(ANCHOR)) as one,
        FakeGateway(scale="small", seed=3, anchor=ANCHOR, clock=FixedClock(ANCHOR)) as two,
        FakeGateway(scale="small", seed=4, anchor=ANCHOR, clock=FixedClock(ANCHOR)) as other,
    ):
        assert one.conversation_numbers() == two.conversation_numbers()
        assert _pages(one) == _pages(two)
        assert _pages(one) != _pages(other)


def test_small_scale_shape() -> None:
    gw = FakeGateway(scale="small", anchor=ANCHOR, clock=FixedClock(ANCHOR))
    numbers = gw.conversation_numbers()
    assert 30 <= len(numbers) <= 50
    assert gw.message_count(gw.largest_conversation) == 600
    assert gw.message_count("31600000000") == 0


@pytest.mark.parametrize("scale", ["small", "full"])
def test_every_number_is_a_real_one_and_shown_formatted(scale: str) -> None:
    """A number outside a country's ranges is shown as bare digits ("+31608812070"), which
    the demo and the screenshots must not do: the data draws only numbers that exist."""
    directory = build_directory(7, scale, ANCHOR)
    numbers = [spec.number for spec in directory.threads if spec.number.isdigit()]
    assert numbers
    unformatted = [n for n in numbers if display_number(n) == f"+{n}"]
    assert unformatted == []
