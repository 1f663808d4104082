"""The inbox session against the fake gateway over loopback, a real store file and real
personal state: what it lists, which conversation it opens at start, unread, mutes, drafts.

No Textual: these run in plain asyncio, many times faster than the same checks through Pilot.
"""

from __future__ import annotations

from dataclasses import replace

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.session.events import (
    AccountChanged,
    Alert,
    ComposerChanged,
    ConversationsListed,
    FirstPageLoaded,
    InboxPageSettled,
    StartingConversationChosen,
    StatusChanged,
    UnreadTotalChanged,
)
from smstui.system.config import Settings
from tests.api.conftest import ANCHOR
from tests.session.conftest import Build, Running

DAY = 86_400


async def started(build: Build, **options: object) -> Running:
    """A session that read the store and the first inbox page (and the contacts)."""
    run = build(**options)
    run.session.start()
    run.session.load()
    await run.idle()
    return run


def before(run: Running, earlier: type, later: type) -> bool:
    """Whether the first event of ``earlier`` came before the first of ``later``."""
    kinds = [type(event) for event in run.events]
    return kinds.index(earlier) < kinds.index(later)


async def test_a_first_start_lists_newest_first_and_opens_the_newest_once(
    running: Build,
) -> None:
    run = await started(running)

    listed = run.of(ConversationsListed)[-1]
    assert listed.rows, "the first page listed its people"
    stamps = [row.timestamp for row in listed.rows]
    assert stamps == sorted(stamps, reverse=True)
    assert run.of(StartingConversationChosen) == [
        StartingConversationChosen(listed.rows[0].key, last_open=False)
    ]
    assert before(run, StartingConversationChosen, FirstPageLoaded), "chosen before 'Up to date'"


async def test_the_next_start_opens_the_last_open_conversation_from_the_store_before_the_gateway(
    running: Build,
) -> None:
    first = await started(running)
    last = first.of(ConversationsListed)[-1].rows[3].key
    first.engine.keep(lambda store: store.set_last_open(last))
    await first.engine.settled()
    first.session.close()
    first.engine.close()

    second = running()
    second.session.start()
    await second.idle()  # the store only: the gateway is not asked yet
    assert second.of(StartingConversationChosen) == [StartingConversationChosen(last, True)]
    assert not second.of(FirstPageLoaded)
    second.session.load()
    await second.idle()
    assert second.of(StartingConversationChosen) == [StartingConversationChosen(last, True)]
    assert len(second.of(FirstPageLoaded)) == 1


async def test_the_start_choice_waits_for_the_store_when_the_gateway_answers_first(
    running: Build,
) -> None:
    first = await started(running)
    newest = first.of(ConversationsListed)[-1].rows[0].key
    first.session.close()
    first.engine.close()

    second = running()
    second.session.load()  # the gateway's page may come first …
    await second.idle()
    assert not second.of(StartingConversationChosen), "no choice before the store was read"
    assert not second.of(FirstPageLoaded), "not up to date before the choice"
    second.session.start()  # … the store's read settles it
    await second.idle()
    assert second.of(StartingConversationChosen) == [StartingConversationChosen(newest, False)]
    assert before(second, StartingConversationChosen, FirstPageLoaded)


async def test_a_conversation_opened_by_the_user_is_not_replaced_at_start(running: Build) -> None:
    first = await started(running)
    chosen = first.of(ConversationsListed)[-1].rows[2].key
    first.session.close()
    first.engine.close()

    second = running()
    second.session.open(chosen)
    second.session.start()
    second.session.load()
    await second.idle()
    assert not second.of(StartingConversationChosen)
    assert second.session.open_key == chosen


async def test_unread_counts_the_title_total_without_muted_and_next_unread(running: Build) -> None:
    run = await started(running, read_until=ANCHOR - 30 * DAY)
    session = run.session
    unread = [row for row in session.listed if row.unread]
    assert len(unread) >= 2, "a month of messages is unread"
    total = sum(row.unread for row in session.listed)
    assert run.of(UnreadTotalChanged)[-1] == UnreadTotalChanged(total, total)

    muted = unread[0]
    session.toggle_mute(muted.key)
    assert run.of(UnreadTotalChanged)[-1] == UnreadTotalChanged(total, total - muted.unread)
    assert muted.key in run.of(ConversationsListed)[-1].muted
    assert run.of(Alert)[-1].text.startswith("Muted ")

    assert session.next_unread(muted.key) == unread[1].key
    session.viewed(unread[1].key, ANCHOR)
    assert session.unread_count(unread[1].key) == 0
    assert session.unread_total == total - unread[1].unread
    assert session.next_unread(muted.key) != unread[1].key


async def test_a_conversation_marked_unread_stays_unread_until_opened_anew(
    running: Build,
) -> None:
    run = await started(running)
    session = run.session
    key = session.listed[1].key
    session.open(key)
    session.mark_unread(key)
    session.viewed(key, ANCHOR)
    assert session.unread_count(key) == 1, "still on screen: it stays unread"
    session.open(key)
    session.viewed(key, ANCHOR)
    assert session.unread_count(key) == 0
    assert run.of(UnreadTotalChanged)[-1].total == 0


async def test_the_mute_and_the_unread_mark_last_into_the_next_start(running: Build) -> None:
    first = await started(running)
    muted, flagged = first.session.listed[0].key, first.session.listed[1].key
    first.session.toggle_mute(muted)
    first.session.mark_unread(flagged)
    first.session.close()
    first.engine.close()

    second = await started(running)
    assert muted in second.session.muted
    assert second.session.unread_count(flagged) == 1
    assert second.of(UnreadTotalChanged)[-1] == UnreadTotalChanged(1, 1)


async def test_each_conversation_gets_its_own_draft_back_also_after_a_restart(
    running: Build,
) -> None:
    first = await started(running)
    one, other = first.session.listed[0].key, first.session.listed[1].key
    first.session.open(one)
    first.session.draft_changed(one, "see you at 5")
    first.session.open(other)
    assert first.of(ComposerChanged)[-2:] == [
        ComposerChanged(one, ""),
        ComposerChanged(other, ""),
    ], "a draft never follows the user into another conversation"
    first.session.open(one)
    assert first.of(ComposerChanged)[-1] == ComposerChanged(one, "see you at 5")
    first.session.close()  # written at once, not after the typing pause
    first.engine.close()

    second = running()
    second.session.open(one)
    assert second.of(ComposerChanged) == [ComposerChanged(one, "see you at 5")]
    second.session.discard_draft(one)  # sent
    second.session.close()
    third = running()
    third.session.open(one)
    assert third.of(ComposerChanged) == [ComposerChanged(one, "")]


async def test_the_filter_lists_matches_and_more_pages_come_on_demand(running: Build) -> None:
    run = await started(running, settings=Settings(inbox_page_size=5))
    session = run.session
    first_rows = len(session.listed)
    session.load_more()
    await run.idle()
    assert session.pages_loaded == 2
    assert len(session.listed) > first_rows

    name = next(row.name for row in session.listed if row.name)
    session.filter(name.split()[0].lower())
    listed = run.of(ConversationsListed)[-1]
    assert listed.complete
    assert listed.rows
    assert all(row.name for row in listed.rows)
    session.filter("")
    assert len(run.of(ConversationsListed)[-1].rows) == len(session.conversations)


async def test_a_reload_asks_for_page_one_again_and_says_so(running: Build) -> None:
    run = await started(running, settings=Settings(inbox_page_size=5))
    run.session.load_more()
    await run.idle()
    run.session.reload()
    await run.idle()
    assert run.session.pages_loaded == 1
    assert run.of(InboxPageSettled)[-1] == InboxPageSettled(1, loaded=True, refresh=True)
    assert len(run.of(FirstPageLoaded)) == 2, "'Up to date' again after the reload"
    assert len(run.of(StartingConversationChosen)) == 1


async def test_a_polled_page_is_news_once_and_moves_its_conversation_to_the_top(
    running: Build, gateway: FakeGateway
) -> None:
    run = await started(running, read_until=ANCHOR - 1)  # the gateway's clock stands at ANCHOR
    session = run.session
    number = session.listed[-1].number
    gateway.deliver_inbound(number, "Are you there?")
    page = await run.engine.inbox(page=1, limit=20)

    news = session.inbox_page_arrived(page)
    assert [item.text for item in news] == ["Are you there?"]
    assert session.listed[0].key == conversation_key(number)
    assert session.listed[0].preview == "Are you there?"
    assert session.unread_count(conversation_key(number)) >= 1
    assert session.inbox_page_arrived(page) == [], "the same page again is no news"


async def test_a_mute_by_another_process_counts_after_reloading_the_mutes(running: Build) -> None:
    run = await started(running, read_until=ANCHOR - 30 * DAY)
    other = await started(running, read_until=ANCHOR - 30 * DAY)
    muted = next(row for row in run.session.listed if row.unread)
    other.session.toggle_mute(muted.key)

    run.session.reload_mutes()
    assert muted.key in run.of(ConversationsListed)[-1].muted
    total = run.session.unread_total
    assert run.of(UnreadTotalChanged)[-1] == UnreadTotalChanged(total, total - muted.unread)


async def test_messages_met_outside_the_pages_show_in_their_rows_listed_once(
    running: Build,
) -> None:
    run = await started(running)
    session = run.session
    oldest = session.listed[-1]
    page = await run.engine.conversation(oldest.key, oldest.number, page=1, limit=5)
    last = page.items[0]  # page 1 is newest first
    ours = replace(last, key="local:1", outbound=True, text="On my way", timestamp=ANCHOR + 60)
    stranger = replace(ours, key="local:2", receiver="+48 600 100 200", text="Hello")
    listings = len(run.of(ConversationsListed))

    session.messages_seen([(oldest.key, ours), (conversation_key("48600100200"), stranger)])
    assert len(run.of(ConversationsListed)) == listings + 1, "listed once for all of them"
    top = [(row.key, row.preview) for row in session.listed[:2]]
    assert set(top) == {(oldest.key, "On my way"), (conversation_key("48600100200"), "Hello")}

    # An older message known to be the newest (a fresh newest page) is the preview again,
    # and the row keeps its place.
    places = [row.key for row in session.listed]
    session.messages_seen([(oldest.key, last)], newest=True)
    assert session.summary(oldest.key).preview == last.text  # type: ignore[union-attr]
    assert [row.key for row in session.listed] == places
    assert run.of(ConversationsListed)[-1].rows == session.listed


async def test_the_account_comes_with_the_first_page_and_the_sender_is_our_first_number(
    running: Build, gateway: FakeGateway
) -> None:
    run = await started(running)

    assert run.session.own_numbers == gateway.own_numbers
    assert run.session.numbers_error is None
    assert run.of(AccountChanged) == [
        AccountChanged(gateway.own_numbers, gateway.own_numbers[0], "42.50 EUR")
    ]
    run.session.retry_account()  # nothing failed: nothing is asked again
    await run.idle()
    assert len(run.of(AccountChanged)) == 1


async def test_numbers_that_could_not_be_had_are_asked_for_again_on_retry(
    running: Build, gateway: FakeGateway
) -> None:
    gateway.add_fault("status_500", "/vmn", times=0)
    run = await started(running, settings=Settings(inbox_page_size=20, default_sender=""))

    assert run.session.numbers_error is not None
    assert run.of(AccountChanged)[-1] == AccountChanged((), "", "42.50 EUR")
    assert any(status.kind == "error" for status in run.of(StatusChanged)), "said once"

    gateway.clear_faults()
    run.session.retry_account()
    await run.idle()
    assert run.session.numbers_error is None
    assert run.session.own_numbers == gateway.own_numbers
    assert run.of(AccountChanged)[-1].sender == gateway.own_numbers[0]
