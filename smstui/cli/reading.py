"""``conversations``, ``show``, ``search`` and ``unread``: answers from the local store.

Each first catches up with the gateway (:func:`synced`), unless ``--offline``; when the gateway
cannot be reached it says so on stderr, answers from the store, and exits with
:data:`~smstui.system.exit_codes.EXIT_STORE_ONLY`.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

from smstui.api.errors import AuthError, SmsError
from smstui.cli.context import CommandContext
from smstui.cli.counts import read_state, unread_count, unread_counts
from smstui.cli.output import (
    conversation_json,
    direction_of,
    local_time,
    message_json,
    one_line,
    table,
    who,
    write_json,
    write_line,
)
from smstui.domain.conversations import ConversationSummary
from smstui.domain.delivery import describe_status
from smstui.domain.folding import fold
from smstui.domain.phones import (
    conversation_key,
    conversation_number,
    display_number,
    parse_user_number,
    reading_regions,
    reply_sender,
)
from smstui.store import MessageStore
from smstui.store.read_state import ReadState
from smstui.sync.catch_up import catch_up, fetch_conversation, refresh_contacts
from smstui.sync.gateway import Gateway, account_numbers
from smstui.system.config import Settings, operator_name
from smstui.system.exit_codes import EXIT_OK, EXIT_STORE_ONLY, EXIT_USAGE

__all__ = ["resolve_conversation", "run_reading", "settle", "synced"]

Extra = Callable[[Gateway, MessageStore], Awaitable[None]]
Body = Callable[[MessageStore, bool], int]


async def synced(
    ctx: CommandContext, store: MessageStore, *, offline: bool, extra: Extra | None = None
) -> bool:
    """Catch the store up with the gateway (unless ``offline``); False when it could not.

    Args:
        ctx: The command's context.
        store: The store.
        offline: Skip the gateway (``--offline``).
        extra: Something more to fetch into the store afterwards (``show``: the thread).

    Raises:
        AuthError: The gateway rejected the credentials.
    """
    if offline:
        return True
    async with ctx.client() as client:
        outcome = await catch_up(client, store)
        problem = outcome.problem
        if outcome.ok:
            await refresh_contacts(client, store, ctx.clock.now())
            await account_numbers(client, store)  # where numbers without + are read
        if outcome.ok and extra is not None:
            try:
                await extra(client, store)
            except AuthError:
                raise
            except SmsError as error:
                problem = error.user_message
    if problem:
        ctx.note(f"the gateway could not be reached ({problem}); answering from the local store")
        return False
    return True


async def run_reading(
    ctx: CommandContext, args: argparse.Namespace, body: Body, extra: Extra | None = None
) -> int:
    """Open the store, catch up, run ``body(store, synced)``; the exit code says if offline."""
    with ctx.open_store() as store:
        fresh = await synced(ctx, store, offline=args.offline, extra=extra)
        code = body(store, fresh)
    return settle(code, fresh)


def command_read_state(ctx: CommandContext) -> ReadState:
    """The app's read state of this account (and operator, on a team's store)."""
    return read_state(
        ctx.store_location(), ctx.clock.now(), operator=operator_name(ctx.settings),
        clock=ctx.clock.now,
    )  # fmt: skip


def settle(code: int, fresh: bool) -> int:
    """A command's exit code: :data:`EXIT_STORE_ONLY` for a success answered offline."""
    return code if code != EXIT_OK or fresh else EXIT_STORE_ONLY


# conversations ---------------------------------------------------------------------------


def conversations(ctx: CommandContext, args: argparse.Namespace, store: MessageStore,
                  fresh: bool) -> int:  # fmt: skip
    """``smstui conversations [--unread] [--limit N]``."""
    state = command_read_state(ctx)
    summaries = store.conversations(limit=None if args.unread else args.limit)
    counts = unread_counts(store, state, summaries)
    if args.unread:
        summaries = [s for s in summaries if counts[s.key] > 0][: args.limit]
    if args.json:
        numbers = store.own_numbers()
        write_json(
            {
                "conversations": [
                    conversation_json(s, unread=counts[s.key], own_numbers=numbers)
                    for s in summaries
                ],
                "synced": fresh,
            },
            ctx.out,
        )
        return EXIT_OK
    rows = [
        (
            local_time(s.timestamp),
            display_number(s.number),
            one_line(s.name, 24),
            str(counts[s.key] or ""),
            ("you: " if s.last_outbound else "") + one_line(s.preview, 60),
        )
        for s in summaries
    ]
    for line in table(("time", "number", "name", "unread", "last message"), rows):
        write_line(line, ctx.out)
    return EXIT_OK


# show ------------------------------------------------------------------------------------


def resolve_conversation(store: MessageStore, number: str, settings: Settings) -> tuple[str, str]:
    """Return ``(conversation key, number to ask the gateway for)`` for what the user typed.

    A number (without ``+`` read where the app's ``n`` reads it: :func:`reading_regions`), a
    stored sender name ("ALLEGRO"), or a contact's name: matched the way the app's search
    matches names (case and accents ignored, any part of the name).

    Raises:
        ValueError: Neither a number nor one stored name, with a message to show (the
            candidates when several names match).
    """
    key = conversation_key(number)
    summary = store.conversation(key) if key else None
    if summary is not None:
        return key, summary.number
    try:
        numbers = store.own_numbers()
        sender = reply_sender("", numbers, settings.default_sender)
        digits = parse_user_number(number, reading_regions(sender, numbers, (), settings.country))
    except ValueError as not_a_number:
        named = conversation_by_name(store, number)
        if named is None:
            raise not_a_number from None
        return named.key, named.number
    return conversation_key(digits), digits


NAME_CANDIDATES_SHOWN = 10


def conversation_by_name(store: MessageStore, name: str) -> ConversationSummary | None:
    """The one stored conversation whose contact name matches ``name``, or None if none does.

    A name that equals one contact's whole name (folded) wins over names that only contain it.

    Raises:
        ValueError: Several match; the message lists them.
    """
    wanted = fold(" ".join(name.split()))
    if not wanted:
        return None
    found = [s for s in store.search(name, limit=1).conversations if wanted in fold(s.name)]
    exact = [s for s in found if fold(s.name) == wanted]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    if not found:
        return None
    listed = "; ".join(who(s.number, s.name) for s in found[:NAME_CANDIDATES_SHOWN])
    more = (
        f" and {len(found) - NAME_CANDIDATES_SHOWN} more"
        if len(found) > NAME_CANDIDATES_SHOWN
        else ""
    )
    raise ValueError(f"{len(found)} conversations match {name!r}: {listed}{more}; give the number")


def show(ctx: CommandContext, args: argparse.Namespace, store: MessageStore, fresh: bool,
         key: str) -> int:  # fmt: skip
    """``smstui show NUMBER [--limit N]``: the newest messages, oldest first."""
    summary = store.conversation(key)
    messages = store.messages(key, limit=args.limit)
    name = summary.name if summary else ""
    number = summary.number if summary else key
    if args.json:
        state = command_read_state(ctx)
        head = summary or ConversationSummary(key, number, "", "", 0, "")
        numbers = store.own_numbers()
        own = conversation_number(head.own_number, numbers)
        write_json(
            {
                "conversation": conversation_json(
                    head,
                    unread=unread_count(store, state, head) if summary else 0,
                    own_numbers=numbers,
                ),
                "messages": [
                    message_json(m, conversation=key, name=name, own=own) for m in messages
                ],
                "synced": fresh,
            },
            ctx.out,
        )
        return EXIT_OK
    total = store.message_count(key)
    write_line(f"{who(number, name)} · {len(messages)} of {total} messages", ctx.out)
    rows, rests = [], []
    for message in messages:
        lines = (message.text or "").split("\n")
        for attachment in message.attachments:
            lines.append(f"[{one_line(attachment.name) or 'file'}] {one_line(attachment.url)}")
        status = describe_status(message.status).word if message.outbound else ""
        rows.append((local_time(message.timestamp), direction_of(message), status,
                     one_line(lines[0])))  # fmt: skip
        rests.append([one_line(line) for line in lines[1:]])
    if not rows:
        return EXIT_OK
    lines = table(("time", "dir", "status", "text"), rows)
    indent = " " * (len(lines[0]) - len("TEXT"))
    write_line(lines[0], ctx.out)
    for line, rest in zip(lines[1:], rests, strict=True):
        write_line(line, ctx.out)
        for extra in rest:
            write_line(indent + extra, ctx.out)
    return EXIT_OK


def thread_fetcher(key_and_number: tuple[str, str], limit: int) -> Extra:
    """Fetch a conversation's newest page into the store (statuses and attachments)."""
    key, number = key_and_number

    async def fetch(gateway: Gateway, store: MessageStore) -> None:
        await fetch_conversation(gateway, store, key, number, min(2000, max(limit, 1)))

    return fetch


# search ----------------------------------------------------------------------------------


def search(ctx: CommandContext, args: argparse.Namespace, store: MessageStore,
           fresh: bool) -> int:  # fmt: skip
    """``smstui search QUERY``: matching conversations, then messages, newest first."""
    results = store.search(args.query, limit=args.limit, budget_s=None)  # a script wants every hit
    if args.json:
        hits = []
        numbers = store.own_numbers()
        owns: dict[str, str] = {}
        for hit in results.messages:
            message = store.message(hit.message_key)
            if message is not None:
                key = hit.conversation_key
                if key not in owns:
                    summary = store.conversation(key)
                    owns[key] = conversation_number(summary.own_number if summary else "", numbers)
                found = message_json(message, conversation=key, name=hit.name, own=owns[key])
                hits.append({**found, "snippet": hit.snippet})
        write_json(
            {
                "query": args.query,
                "conversations": [
                    conversation_json(s, own_numbers=numbers) for s in results.conversations
                ],
                "messages": hits,
                # How many stored messages the text search went through (0: it did not run,
                # the query being too short); it was a boolean before, hence the explicit one.
                "searched_messages": store.total_message_count()
                if results.searched_messages
                else 0,
                "message_text_searched": results.searched_messages,
                "synced": fresh,
            },
            ctx.out,
        )
        return EXIT_OK
    if results.conversations:
        write_line("Conversations:", ctx.out)
        for summary in results.conversations:
            write_line(f"  {who(summary.number, summary.name)}", ctx.out)
    if results.messages:
        rows = [
            (
                local_time(hit.timestamp),
                who(hit.number, hit.name),
                "out" if hit.outbound else "in",
                one_line(hit.snippet),
            )
            for hit in results.messages
        ]
        for line in table(("time", "conversation", "dir", "message"), rows):
            write_line(line, ctx.out)
    if not results.searched_messages:
        ctx.note("message text is searched from three characters on; only names and numbers "
                 "were searched")  # fmt: skip
    if not results.conversations and not results.messages:
        ctx.note("nothing found")
    return EXIT_OK


# unread ----------------------------------------------------------------------------------


def unread(ctx: CommandContext, args: argparse.Namespace, store: MessageStore,
           fresh: bool) -> int:  # fmt: skip
    """``smstui unread``: the total, bare (for a status line)."""
    state = command_read_state(ctx)
    counts = unread_counts(store, state, store.conversations())
    total = sum(counts.values())
    if args.json:
        conversations = sum(1 for count in counts.values() if count)
        write_json({"unread": total, "conversations": conversations, "synced": fresh}, ctx.out)
    else:
        write_line(str(total), ctx.out)
    return EXIT_OK


def bad_number(ctx: CommandContext, error: ValueError) -> int:
    """Say why a number is not usable; the usage exit code."""
    ctx.note(str(error))
    return EXIT_USAGE
