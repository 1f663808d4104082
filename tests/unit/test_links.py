"""Links in message text: what is found, where it ends, and what is never a link."""

from __future__ import annotations

import time

import pytest

from smstui.domain.links import MAX_LINKS, FoundLink, find_links, has_links
from smstui.domain.sanitize import clean_text
from smstui.domain.urls import MAX_URL_LENGTH, validate_url
from tests.unit.hostile import HOSTILE_CORPUS


def urls(text: str) -> list[str]:
    return [link.url for link in find_links(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Track it: https://inpost.example/t/123", ["https://inpost.example/t/123"]),
        ("See https://example.com/a?b=1.", ["https://example.com/a?b=1"]),
        ("Open https://example.com, then call", ["https://example.com"]),
        ("Really? https://example.com/x?!", ["https://example.com/x"]),
        ("(https://example.com/a)", ["https://example.com/a"]),
        ("wiki https://en.example.org/Foo_(bar) ok", ["https://en.example.org/Foo_(bar)"]),
        ("[https://example.com/a]", ["https://example.com/a"]),
        ("„https://pl.example/łódź”", ["https://pl.example/łódź"]),
        ("'https://example.com/q'", ["https://example.com/q"]),
        ('<a href="https://example.com/h">', ["https://example.com/h"]),
        ("<https://example.com/angle>", ["https://example.com/angle"]),
        ("HTTP://EXAMPLE.COM/UP", ["HTTP://EXAMPLE.COM/UP"]),
        ("line one\nhttps://example.com/two\nthree", ["https://example.com/two"]),
        ("https://example.com/a…", ["https://example.com/a"]),
        (
            "a https://x.example/1 b http://y.example/2",
            ["https://x.example/1", "http://y.example/2"],
        ),
        ("twice https://x.example and https://x.example", ["https://x.example"]),
        ("https://example.com:8443/a#frag", ["https://example.com:8443/a#frag"]),
    ],
)
def test_links_are_found_without_the_sentence_around_them(text: str, expected: list[str]) -> None:
    assert urls(text) == expected
    assert all(link.problem == "" for link in find_links(text))


@pytest.mark.parametrize(
    "text",
    [
        "www.example.com",
        "example.com/path",
        "mail me at someone@example.com",
        "javascript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.com/file",
        "xhttps://example.com glued to a word",
        "https:// nothing after the scheme",
        "http://",
        "",
    ],
)
def test_text_without_an_http_link_offers_nothing(text: str) -> None:
    assert find_links(text) == ()
    assert not has_links(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.com/\x1b[31mred", "https://example.com/"),
        ("https://bank.example\u202egpj.exe", "https://bank.example"),
        ("https://bank.example\u200b.evil.example", "https://bank.example"),
        ("https://a.example/\x00b", "https://a.example/"),
        ("https://a.example/b\u2028c", "https://a.example/b"),
        ("https://a.example/b\u00a0c", "https://a.example/b"),
        ("https://a.example/b\u241bc", "https://a.example/b"),  # control picture of ESC
        ("https://a.example/b\ufffdc", "https://a.example/b"),
    ],
)
def test_a_link_ends_at_control_invisible_and_bidi_characters(text: str, expected: str) -> None:
    assert urls(text) == [expected]
    validate_url(expected)


def test_every_found_link_either_passes_validation_or_says_why() -> None:
    for text in HOSTILE_CORPUS:
        for candidate in (text, clean_text(text), f"go https://x.example/{text} now"):
            for link in find_links(candidate):
                assert isinstance(link, FoundLink)
                if link.url.endswith("…"):  # too long, shown cut
                    assert "longer than" in link.problem
                elif link.problem:
                    with pytest.raises(ValueError):
                        validate_url(link.url)
                else:
                    assert validate_url(link.url) == link.url


def test_a_link_too_long_to_use_is_shown_cut_with_the_reason() -> None:
    text = "see https://example.com/" + "a" * (MAX_URL_LENGTH * 3) + " ok"
    (link,) = find_links(text)
    assert link.problem == f"the link is longer than {MAX_URL_LENGTH} characters"
    assert len(link.url) < 250
    assert link.url.endswith("…")


def test_many_links_are_capped() -> None:
    text = " ".join(f"https://host{n}.example/p" for n in range(500))
    found = find_links(text)
    assert len(found) == MAX_LINKS
    assert found[0].url == "https://host0.example/p"


def test_hostile_sizes_are_handled_in_linear_time() -> None:
    started = time.perf_counter()
    find_links("https://" * 50_000)
    find_links("(" * 100_000 + "https://a.example/" + ")" * 100_000)
    find_links("https://a.example/" + "." * 200_000)
    find_links("x" * 1_000_000 + " https://end.example")
    assert time.perf_counter() - started < 5.0
