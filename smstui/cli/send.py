"""``smstui send TO [TEXT | -]``: one SMS, never retried, optionally waited for.

Text over ``max_parts`` SMS parts is refused before anything is sent (11) unless
``--allow-parts N`` covers its parts; text over ``hard_max_parts`` is always refused (11).

Outcomes and exit codes (see :mod:`smstui.system.exit_codes`): sent (0), refused by the gateway (6),
gateway unreachable so nothing was sent (5), outcome unknown (7: it may have been sent, so look
before sending again). With ``--wait``: delivered (0), not delivered (8), no final status
before ``--timeout`` (9). A sent message is written to the local store at once.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smstui.api.errors import AuthError, Offline, SendOutcomeUnknown, SmsError
from smstui.cli.context import CommandContext
from smstui.cli.output import message_json, write_json
from smstui.domain.delivery import is_final
from smstui.domain.models import Message
from smstui.domain.outbox import Outgoing
from smstui.domain.phones import (
    conversation_key,
    display_number,
    parse_user_number,
    reading_regions,
    reply_sender,
)
from smstui.domain.schedule_time import read_send_time, repeated_note
from smstui.domain.segments import SegmentInfo, analyse
from smstui.domain.timeparse import describe_zone, gateway_date
from smstui.store import MessageStore
from smstui.sync.catch_up import fetch_conversation
from smstui.sync.gateway import Gateway, account_numbers
from smstui.sync.sender import Sender, open_outbox
from smstui.system.config import operator_name
from smstui.system.exit_codes import (
    EXIT_CREDENTIALS,
    EXIT_NOT_DELIVERED,
    EXIT_OK,
    EXIT_SEND_REFUSED,
    EXIT_SEND_UNKNOWN,
    EXIT_TOO_MANY_PARTS,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    EXIT_WAIT_TIMEOUT,
)

__all__ = ["run_send"]

WAIT_PAGE = 20
"""Newest messages of the conversation read per status check."""


@dataclass
class Report:
    """What ``send --json`` prints (always one object, whatever happened)."""

    outcome: str
    message: Message | None = None
    error: str = ""
    scheduled_for: str | None = None
    parts: int = 0
    encoding: str = ""

    def to_json(self, key: str) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "message": None
            if self.message is None
            else message_json(self.message, conversation=key),
            "error": self.error,
            "scheduled_for": self.scheduled_for,
            "parts": self.parts,
            "encoding": self.encoding,
        }


def read_text(argument: str) -> str:
    """The message: the argument, or standard input for ``-`` (one final newline dropped)."""
    if argument != "-":
        return argument
    if sys.stdin is None:
        return ""
    if _is_terminal(sys.stdin):
        sys.stderr.write("Type the message; end it with Ctrl+D on a line of its own.\n")
        sys.stderr.flush()
    text = sys.stdin.read()
    return text[:-1] if text.endswith("\n") else text


def _is_terminal(stream: Any) -> bool:
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False


async def run_send(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Run ``smstui send``; return the exit code."""
    dry_run = args.send_dry_run or ctx.settings.dry_run
    if args.at and args.wait:
        ctx.note("--wait cannot wait for a scheduled message (--at)")
        return EXIT_USAGE
    text = read_text(args.text)
    if not text.strip():
        ctx.note("the message is empty; nothing was sent")
        return EXIT_USAGE
    info = analyse(text, ctx.settings.max_parts, ctx.settings.hard_max_parts)
    refusal = parts_refusal(info, args.allow_parts)
    if refusal:
        ctx.note(refusal)
        return EXIT_TOO_MANY_PARTS
    when: datetime | None = None
    if args.at:
        try:  # the app's reader: "+2h", "tomorrow 9:30", ISO; skipped hours are refused
            when = read_send_time(args.at, ctx.clock.now())
        except ValueError as error:
            ctx.note(f"{error} (nothing was sent)")
            return EXIT_USAGE
    with ctx.open_store() as store:
        async with ctx.client(retries=3) as gateway:
            # The app's rules: a number without + is read in our numbers' countries, and
            # a reply goes out from the number the conversation runs on.
            numbers = await account_numbers(gateway, store)
            first = args.sender or reply_sender("", numbers, ctx.settings.default_sender)
            regions = reading_regions(first, numbers, (), ctx.settings.country)
            try:
                to = parse_user_number(args.to, regions)
            except ValueError as error:
                ctx.note(str(error))
                return EXIT_USAGE
            key = conversation_key(to)
            summary = store.conversation(key)
            own = summary.own_number if summary else ""
            sender = args.sender or reply_sender(own, numbers, ctx.settings.default_sender)
            if not sender:
                ctx.note("no number to send from: use --from, or set default_sender in the config")
                return EXIT_USAGE
            if _is_terminal(sys.stdin) or dry_run or info.parts > info.max_parts:
                ctx.note(f"{describe_parts(info)} to {display_number(to)}")
            report = Report("", parts=info.parts, encoding=info.encoding)
            outbox = open_outbox(ctx.store_location(), operator_name(ctx.settings))

            def keep(conversation: str, copy: Message) -> None:
                store.add_messages(conversation, [copy], source="send")

            path = Sender(gateway, outbox, dry_run=dry_run, on_sent=keep)
            if when is not None:
                code = await _schedule(ctx, path, report, to=to, text=text, own=sender,
                                       when=when)  # fmt: skip
            else:
                known = [message.key for message in store.messages(key, limit=200)]
                item = path.record(key, to=to, sender=sender, text=text, now=ctx.clock.now(),
                                   known=known)  # fmt: skip
                code = await _send(ctx, path, report, item)
                if code == EXIT_OK and args.wait:
                    code = await _wait(ctx, gateway, store, report, to, args.timeout)
    if args.json:
        write_json(report.to_json(key), ctx.out)
    return code


def describe_parts(info: SegmentInfo) -> str:
    """``2 parts · UCS-2 (90 characters)``, and what they cost when over ``max_parts``."""
    parts = f"{info.parts} part{'s' if info.parts != 1 else ''}"
    text = f"{parts} · {info.encoding} ({info.units:,} characters)"
    if info.parts > info.max_parts:
        text += f", charged as {info.parts} messages"
    return text


def parts_refusal(info: SegmentInfo, allowed: int | None) -> str:
    """Why the text is not sent for its parts, in one line; "" when it may be sent.

    Args:
        info: The text's analysis against ``max_parts`` and ``hard_max_parts``.
        allowed: ``--allow-parts`` (None when not given).
    """
    parts = info.parts
    what = f"{parts:,} parts ({info.units:,} characters, {info.encoding})"
    if info.too_long:
        return (
            f"not sent: {what} is over hard_max_parts = {info.hard_max_parts}, which no "
            "option overrides; raise hard_max_parts under [sending] in the config to allow more"
        )
    if parts <= info.max_parts or (allowed is not None and allowed >= parts):
        return ""
    given = f" and --allow-parts {allowed} does not cover it" if allowed is not None else ""
    return (
        f"not sent: {what} is over max_parts = {info.max_parts}{given}; it would be charged "
        f"as {parts} messages: to send it, add --allow-parts {parts}"
    )


def _refused(ctx: CommandContext, report: Report, error: SmsError) -> int:
    """Say why the gateway did not take a message; the exit code that says so."""
    if isinstance(error, SendOutcomeUnknown):
        report.outcome, report.error = "unknown", error.user_message
        return EXIT_SEND_UNKNOWN
    report.outcome, report.error = "refused", error.user_message
    if isinstance(error, AuthError):
        ctx.note(f"not sent: {error.user_message}")
        return EXIT_CREDENTIALS
    if isinstance(error, Offline):
        report.outcome = "unreachable"
        ctx.note(f"not sent: the gateway could not be reached ({error.user_message})")
        return EXIT_UNREACHABLE
    ctx.note(f"not sent: {error.user_message}")
    return EXIT_SEND_REFUSED


async def _send(ctx: CommandContext, sender: Sender, report: Report, item: Outgoing) -> int:
    """POST the recorded message once (the app's send path) and say what happened."""
    outcome = await sender.deliver(item)
    if outcome.unknown:
        report.outcome = "unknown"
        report.error = outcome.error.user_message if outcome.error else ""
        # It stays in the outbox as not confirmed: the app looks for it at the gateway.
        ctx.note(f"{report.error or 'the gateway gave no answer'}. It may have been sent: "
                 f'check with "smstui show {item.to}" before sending it again')  # fmt: skip
        return EXIT_SEND_UNKNOWN
    if outcome.error is not None:
        # This command said why, and its caller decides what next: nothing to keep.
        sender.outbox.remove(item.key)
        return _refused(ctx, report, outcome.error)
    report.message = outcome.copy
    if sender.dry_run:
        report.outcome = "dry_run"
        _dry_run_note(ctx, report)
        return EXIT_OK
    report.outcome = "sent"
    return EXIT_OK


async def _schedule(ctx: CommandContext, sender: Sender, report: Report, *, to: str,
                    text: str, own: str, when: datetime) -> int:  # fmt: skip
    """Hand a message to the gateway to send at ``when`` (one POST, as the app's Ctrl+S)."""
    date = gateway_date(when)
    report.scheduled_for = when.isoformat(timespec="minutes")
    ctx.note(f"scheduled for {when.strftime('%Y-%m-%d %H:%M')} {describe_zone(when)}"
             f"{repeated_note(when)}; "
             f"the gateway gets {date} (UTC)")  # fmt: skip
    try:
        report.message = await sender.schedule(to=to, text=text, sender=own, when=when)
    except SmsError as error:
        if isinstance(error, SendOutcomeUnknown):
            ctx.note(f"{error.user_message}. It may have been scheduled: check the scheduled "
                     "list before scheduling it again")  # fmt: skip
        return _refused(ctx, report, error)
    if sender.dry_run:
        report.outcome = "dry_run"
        _dry_run_note(ctx, report)
        return EXIT_OK
    report.outcome = "scheduled"
    return EXIT_OK


def _dry_run_note(ctx: CommandContext, report: Report) -> None:
    ctx.note(
        f"dry run: the gateway accepted it ({report.parts} part"
        f"{'s' if report.parts != 1 else ''}, {report.encoding}); nothing was sent or charged"
    )


async def _wait(ctx: CommandContext, gateway: Gateway, store: MessageStore, report: Report,
                to: str, patience: float) -> int:  # fmt: skip
    """Check the conversation until the message has a final status or the time is up."""
    assert report.message is not None
    key = report.message.key
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    pause = ctx.settings.status_refresh
    while True:
        try:
            page = await fetch_conversation(gateway, store, conversation_key(to), to, WAIT_PAGE)
        except AuthError:
            raise
        except SmsError as error:
            ctx.note(f"checking the delivery status failed: {error.user_message}")
        else:
            copy = next((m for m in page.items if m.key == key), None)
            if copy is not None:
                report.message = dataclasses.replace(
                    copy, reference=copy.reference or report.message.reference
                )
                if is_final(copy.status):
                    return _final(ctx, report, copy.status)
        left = deadline - loop.time()
        if left <= 0:
            report.outcome = "wait_timeout"
            ctx.note(f"sent; no final delivery status after {patience:g} s")
            return EXIT_WAIT_TIMEOUT
        await asyncio.sleep(min(pause, left))
        pause = min(pause * 2, ctx.settings.status_refresh_max)


def _final(ctx: CommandContext, report: Report, status: str) -> int:
    if status.strip().upper() == "DELIVERED":
        report.outcome = "delivered"
        return EXIT_OK
    report.outcome = "not_delivered"
    ctx.note(f"sent, but not delivered: {status}")
    return EXIT_NOT_DELIVERED
