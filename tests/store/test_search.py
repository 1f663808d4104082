"""Search: accent folding, several words, digit substrings, short queries, hostile syntax."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from smstui.domain.conversations import ConversationIndex
from smstui.domain.models import Contact, Page
from smstui.store import MessageStore, SqliteStore, search
from smstui.store.folding import snippet, term_pattern
from smstui.store.opt_outs import is_opt_out_request
from tests.store.helpers import THEIRS, inbound, inbox_item, outbound, sqlite_only

NUMBER = "48500004499"


@pytest.fixture
def filled(store: MessageStore) -> MessageStore:
    store.add_messages(
        THEIRS,
        [
            inbound("Wzór umowy w załączniku", 1000),
            inbound("Żółw wszedł do ogrodu", 1001),
            outbound("Call me at +48 500-004-499 tomorrow", 1002, message_id="o1"),
            inbound("ordinary words about nothing", 1003),
        ],
    )
    store.add_inbox_items([inbox_item("Dzień dobry, tu Łukasz", 900, sender=NUMBER)])
    store.set_contacts([Contact(id="1", phone=NUMBER, first_name="Łukasz", last_name="Wójcik")])
    return store


def texts(store: MessageStore, query: str) -> list[str]:
    return [hit.snippet for hit in store.search(query).messages]


def test_accent_folded_words(filled: MessageStore) -> None:
    assert texts(filled, "wzor") == ["Wzór umowy w załączniku"]
    assert texts(filled, "WZÓR") == ["Wzór umowy w załączniku"]
    assert texts(filled, "zolw") == ["Żółw wszedł do ogrodu"]
    assert texts(filled, "załącznik") == ["Wzór umowy w załączniku"]
    assert texts(filled, "lukasz") == ["Dzień dobry, tu Łukasz"]


def test_several_words_must_all_match_in_any_order(filled: MessageStore) -> None:
    assert texts(filled, "ogrodu zolw") == ["Żółw wszedł do ogrodu"]
    assert texts(filled, "zolw umowy") == []
    assert texts(filled, "umowy   wzor") == ["Wzór umowy w załączniku"]


def test_short_word_beside_a_long_one_is_checked_too(filled: MessageStore) -> None:
    assert texts(filled, "ogrodu do") == ["Żółw wszedł do ogrodu"]
    assert texts(filled, "ogrodu xy") == []


def test_digit_substrings(filled: MessageStore) -> None:
    found = filled.search("4499")
    assert [c.key for c in found.conversations] == [NUMBER]
    assert found.conversations[0].name == "Łukasz Wójcik"
    assert [c.key for c in filled.search("+48 500-004").conversations] == [NUMBER]
    assert [c.key for c in filled.search("(48) 500.004 499").conversations] == [NUMBER]
    # The formatted number inside a message is found as typed, and highlighted across dashes.
    hit = filled.search("+48 500-004-499").messages
    assert [h.message_key for h in hit] == [outbound("x", 1002, message_id="o1").key]
    assert hit[0].spans
    [(start, end)] = hit[0].spans
    assert hit[0].snippet[start:end] == "+48 500-004-499"
    # Digits alone also find it, highlighted across the separators.
    [digits_hit] = filled.search("500004499").messages
    [(start, end)] = digits_hit.spans
    assert digits_hit.snippet[start:end] == "500-004-499"


def test_conversations_by_folded_name(filled: MessageStore) -> None:
    assert [c.key for c in filled.search("wojcik").conversations] == [NUMBER]
    assert [c.key for c in filled.search("łukasz wójcik").conversations] == [NUMBER]
    assert [c.key for c in filled.search("wojcik zolw").conversations] == []


def test_short_queries_search_only_names_and_numbers(filled: MessageStore) -> None:
    results = filled.search("łu")
    assert not results.searched_messages
    assert results.messages == ()
    assert [c.key for c in results.conversations] == [NUMBER]
    assert filled.search("49").conversations[0].key == NUMBER
    assert filled.search("").conversations == ()
    assert filled.search("   ").messages == ()


def test_alphanumeric_senders_are_found_by_name(store: MessageStore) -> None:
    store.add_inbox_items([inbox_item("Your code is 1234", 1000, sender="MyBank")])
    assert [c.key for c in store.search("mybank").conversations] == ["mybank"]
    assert [c.number for c in store.search("bank").conversations] == ["MyBank"]


def test_zolw_finds_zolw_with_accents_in_the_list_filter_and_in_the_store_alike(
    store: MessageStore,
) -> None:
    """One fold everywhere: what the list filter finds by name, the store's search finds too
    (by name and in message text), on SQLite and PostgreSQL; the opt-out words fold the same."""
    contact = Contact(id="1", phone=NUMBER, first_name="Żółw", last_name="Łódzki")
    index = ConversationIndex()
    index.add_contacts([contact])
    index.add_inbox_page(Page((inbox_item("Dzień dobry", 1000, sender=NUMBER),), 1, 1, 50))
    store.set_contacts([contact])
    store.add_inbox_items([inbox_item("Żółw przyszedł, ARRÊT", 1000, sender=NUMBER)])

    for query in ("zolw", "ŻÓŁW", "lodzki", "zolw lodzki"):
        assert [row.number for row in index.filter(query)] == [NUMBER], query
        assert [c.number for c in store.search(query).conversations] == [NUMBER], query
    assert [hit.number for hit in store.search("zolw przyszedl").messages] == [NUMBER]
    assert is_opt_out_request("Arrêt")


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "'",
        "*",
        "wz*",
        "AND",
        "zolw AND",
        "NEAR(zolw ogrodu)",
        "(zolw",
        "zolw)",
        "OR NOT",
        "col:zolw",
        "^zolw",
        "-zolw",
        '"zolw" "',
        "\\",
        "%_",
        "\x00zolw",
        "zolw\ud800",
    ],
)
def test_query_syntax_characters_never_raise(filled: MessageStore, query: str) -> None:
    filled.search(query)


def test_syntax_characters_are_searched_as_text(store: MessageStore) -> None:
    store.add_messages(THEIRS, [inbound('she said "AND (NEAR)" *twice*', 1000)])
    assert len(store.search('"AND (NEAR)"').messages) == 1
    assert len(store.search("*twice*").messages) == 1
    assert store.search("NEAR(x y)").messages == ()


def test_results_are_newest_first_and_limited(store: MessageStore) -> None:
    # Inserted out of time order, as a backfill would.
    stamps = [5000, 1000, 9000, 3000, 7000, 2000]
    store.add_messages(THEIRS, [inbound(f"meeting number {n}", t) for n, t in enumerate(stamps)])
    hits = store.search("meeting").messages
    assert [h.timestamp for h in hits] == sorted(stamps, reverse=True)
    assert [h.timestamp for h in store.search("meeting", limit=2).messages] == [9000, 7000]
    assert all(h.conversation_key == THEIRS and h.number == THEIRS for h in hits)


def test_search_finds_text_after_a_nul(store: MessageStore) -> None:
    store.add_messages(THEIRS, [inbound("nul\x00inside", 1000)])
    assert [h.snippet for h in store.search("inside").messages] == ["nul\x00inside"]


def test_snippet_is_cut_around_the_match_with_spans_in_the_original() -> None:
    text = ("lorem ipsum " * 10) + "Spotkanie z Łukaszem\nw środę" + (" dolor sit" * 10)
    excerpt, spans = snippet(text, [term_pattern("lukaszem"), term_pattern("srode")])
    assert excerpt.startswith("…")
    assert excerpt.endswith("…")
    assert "\n" not in excerpt
    assert 60 <= len(excerpt) <= 80
    assert [excerpt[a:b] for a, b in spans] == ["Łukaszem", "środę"]


def test_snippet_of_short_text_and_expanding_folds() -> None:
    excerpt, spans = snippet("Straße ﬁle", [term_pattern("strasse"), term_pattern("file")])
    assert excerpt == "Straße ﬁle"
    assert [excerpt[a:b] for a, b in spans] == ["Straße", "ﬁle"]
    assert snippet("", [term_pattern("x")]) == ("", ())


def test_the_fold_character_by_character_is_the_fold_of_the_whole_text() -> None:
    """The search index folds through a per-character table: it must equal the definition."""
    import random
    import unicodedata

    from smstui.domain.folding import fold
    from tests.unit.hostile import HOSTILE_CORPUS

    letters = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i"})

    def whole(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.translate(letters))
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    rng = random.Random(5)
    samples = [*HOSTILE_CORPUS, "Zażółć gęślą jaźń ŁÓDŹ Straße ﬁ İstanbul ǅ e\u0301 한국어 ÆØÅ đ ı"]
    samples += ["".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(8)) for _ in range(3000)]
    assert [fold(text) for text in samples] == [whole(text) for text in samples]


@sqlite_only
def test_conversation_search_reads_the_precomputed_haystack(store: MessageStore) -> None:
    store.set_contacts([Contact(id="1", phone=NUMBER, first_name="Zofia", last_name="Nowak")])
    store.add_inbox_items([inbox_item("hello", 900, sender=NUMBER)])  # contact known first
    assert [c.name for c in store.search("nowak").conversations] == ["Zofia Nowak"]
    # A renamed contact is found by the new name only.
    store.set_contacts([Contact(id="1", phone=NUMBER, first_name="Zofia", last_name="Kowalska")])
    assert store.search("nowak").conversations == ()
    assert [c.key for c in store.search("kowalska").conversations] == [NUMBER]
    # The search reads the column, not a join built per query.
    store._connection.execute("UPDATE conversations SET haystack = 'marker-xyz'")
    assert [c.key for c in store.search("marker-xyz").conversations] == [NUMBER]
    assert store.search("kowalska").conversations == ()
    plan = store._connection.execute(
        "EXPLAIN QUERY PLAN SELECT key FROM conversations c "
        "WHERE instr(c.haystack, 'x') > 0 ORDER BY +c.timestamp DESC, c.key"
    ).fetchall()
    assert not any("conversations_by_time" in str(row) for row in plan)


def test_a_version_2_file_gets_conversation_haystacks(store_path: Path) -> None:
    with SqliteStore.open(store_path) as store:
        store.set_contacts([Contact(id="1", phone=NUMBER, first_name="Łukasz", last_name="Wójcik")])
        store.add_inbox_items([inbox_item("hello", 900, sender=NUMBER)])
        store._connection.execute("ALTER TABLE conversations DROP COLUMN haystack")
        store._connection.execute("DROP TABLE local_state")  # came with version 5
        store._connection.execute("PRAGMA user_version = 2")
    with SqliteStore.open(store_path) as store:
        assert [c.key for c in store.search("wojcik").conversations] == [NUMBER]
        assert [c.key for c in store.search("4499").conversations] == [NUMBER]


def test_a_search_over_its_time_budget_returns_the_newest_hits_so_far(
    store: MessageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_messages(
        THEIRS, [inbound(f"parcel {n} left the depot", 1000 + n) for n in range(600)]
    )
    whole = store.search("parcel depot", limit=600, budget_s=None)
    assert len(whole.messages) == 600
    assert not whole.truncated
    # A clock that passes the budget after a fixed number of looks: deterministic.
    looks = iter(range(10**6))
    monkeypatch.setattr(search, "time", SimpleNamespace(perf_counter=lambda: next(looks) * 0.004))
    cut = store.search("parcel depot", limit=600, budget_s=search.MESSAGE_BUDGET_S)
    assert cut.truncated
    assert 0 < len(cut.messages) < 600
    # What was found is the newest part of the full answer, in order.
    assert cut.messages == whole.messages[: len(cut.messages)]
    # And the connection is left without a handler: the next search is whole again.
    monkeypatch.undo()
    assert len(store.search("parcel depot", limit=600, budget_s=None).messages) == 600


def test_two_common_words_that_never_meet_stop_at_the_budget(
    store: MessageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_messages(THEIRS, [inbound(f"zamowienie {n}", 1000 + 2 * n) for n in range(300)])
    store.add_messages(THEIRS, [inbound(f"ontvangen {n}", 1001 + 2 * n) for n in range(300)])
    assert store.search("zamowienie ontvangen") == search.SearchResults()
    monkeypatch.setattr(search, "_PROGRESS_STEPS", 1)
    results = store.search("zamowienie ontvangen", budget_s=0.0)
    assert results.messages == ()
    assert results.truncated
    assert not store.search("zamowienie ontvangen", budget_s=None).truncated
