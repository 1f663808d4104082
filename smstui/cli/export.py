"""``smstui export [NUMBER] --format jsonl|csv|txt [--since TIME] [--until TIME]``.

Conversation by conversation (newest activity first), oldest message first within each, so a
large store streams out without being held in memory. ``jsonl`` is one message object per line
(the schema of ``--json``); ``csv`` has a header row; ``txt`` is for reading.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Iterator

from smstui.cli.context import CommandContext
from smstui.cli.output import (
    direction_of,
    dumps,
    iso_time,
    local_time,
    message_json,
    one_line,
    who,
    write_line,
)
from smstui.domain.conversations import ConversationSummary
from smstui.domain.delivery import describe_status
from smstui.domain.models import Message
from smstui.domain.phones import conversation_number, sent_from
from smstui.domain.segments import analyse
from smstui.domain.timeparse import parse_time
from smstui.store import MessageStore
from smstui.system.exit_codes import EXIT_OK, EXIT_USAGE

__all__ = ["CSV_COLUMNS", "export_format", "parse_range", "write_export"]

CSV_COLUMNS = (
    "time", "timestamp", "conversation", "number", "name", "direction", "from", "to",
    "status", "parts", "encoding", "text", "id", "key", "attachments",
)  # fmt: skip


def export_format(args: argparse.Namespace) -> str | None:
    """The format asked for: ``--format``, or ``jsonl`` for ``--json``; None if they clash."""
    if args.json:
        return "jsonl" if args.format in (None, "jsonl") else None
    return args.format or "txt"


def parse_range(args: argparse.Namespace) -> tuple[int | None, int | None]:
    """``--since`` (inclusive) and ``--until`` (exclusive) as epoch seconds.

    Raises:
        ValueError: A time that cannot be read, or an empty range.
    """
    since = int(parse_time(args.since).timestamp()) if args.since else None
    until = int(parse_time(args.until).timestamp()) if args.until else None
    if since is not None and until is not None and until <= since:
        raise ValueError("--until must be after --since")
    return since, until


def _selected(
    store: MessageStore, summaries: list[ConversationSummary], since: int | None, until: int | None
) -> Iterator[tuple[ConversationSummary, list[Message]]]:
    for summary in summaries:
        if since is not None and summary.timestamp < since:
            continue  # its newest message is older than the range
        messages = [
            m
            for m in store.messages(summary.key)
            if (since is None or m.timestamp >= since) and (until is None or m.timestamp < until)
        ]
        if messages:
            yield summary, messages


def write_export(
    ctx: CommandContext,
    store: MessageStore,
    *,
    key: str | None,
    form: str,
    since: int | None,
    until: int | None,
) -> int:
    """Write the export to ``ctx.out``; return the exit code."""
    if key is None:
        summaries = store.conversations()
    else:
        summary = store.conversation(key)
        if summary is None:
            ctx.note(f"no stored messages with {key}")
            return EXIT_USAGE
        summaries = [summary]
    writer = csv.writer(ctx.out, lineterminator="\n") if form == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    count = 0
    numbers = store.own_numbers()
    for summary, messages in _selected(store, summaries, since, until):
        own = conversation_number(summary.own_number, numbers)
        if form == "txt":
            write_line(f"== {who(summary.number, summary.name)}", ctx.out)
        for message in messages:
            count += 1
            if form == "jsonl":
                item = message_json(message, conversation=summary.key, name=summary.name, own=own)
                ctx.out.write(dumps(item) + "\n")
            elif writer is not None:
                writer.writerow(_csv_row(message, summary, own))
            else:
                _write_txt(ctx, message)
        if form == "txt":
            write_line("", ctx.out)
    ctx.out.flush()
    ctx.note(f"exported {count} message{'s' if count != 1 else ''}")
    return EXIT_OK


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (CSV injection)."""

_PHONE_NUMBER = re.compile(r"\+?[0-9]{1,20}")
"""A number like ``+48512345678``: no formula, kept as it is so scripts can match it."""


def _cell(value: str | int) -> str | int:
    """A cell safe to open in a spreadsheet: a would-be formula is kept as text (OWASP advice).

    Every text cell, not only the message: a sender name, a number, an id or a URL comes from
    the gateway too, and ``=HYPERLINK(…)`` works in any of them.
    """
    if isinstance(value, int) or _PHONE_NUMBER.fullmatch(value):
        return value
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_row(message: Message, summary: ConversationSummary, own: str) -> list[str | int]:
    info = analyse(message.text)
    sender = sent_from(message.sender, own) if message.outbound else message.sender
    return [_cell(value) for value in (
        iso_time(message.timestamp), message.timestamp, summary.key, summary.number,
        summary.name, direction_of(message), sender, message.receiver,
        message.status, info.parts, info.encoding, message.text,
        message.message_id or "", message.key, " ".join(a.url for a in message.attachments),
    )]  # fmt: skip


def _write_txt(ctx: CommandContext, message: Message) -> None:
    info = analyse(message.text)
    status = describe_status(message.status).word if message.outbound else ""
    facts = ", ".join(
        part
        for part in (
            f"{info.parts} part{'s' if info.parts != 1 else ''} {info.encoding}",
            status,
        )
        if part
    )
    arrow = "→" if message.outbound else "←"
    write_line(f"{local_time(message.timestamp, seconds=True)} {arrow} ({facts})", ctx.out)
    for line in (message.text or "").split("\n"):
        write_line(f"    {one_line(line)}", ctx.out)
    for attachment in message.attachments:
        write_line(
            f"    [{one_line(attachment.name) or 'file'}] {one_line(attachment.url)}", ctx.out
        )
