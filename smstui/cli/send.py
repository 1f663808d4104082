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

from smstui.api.client import SmsClient
from smstui.api.errors import AuthError, Offline, SendOutcomeUnknown, SmsError
from smstui.cli.context import CommandContext
from smstui.cli.output import message_json, write_json
from smstui.domain.delivery import is_final
from smstui.domain.models import Message
from smstui.domain.outbox import new_reference
from smstui.domain.phones import (
    conversation_key,
    display_number,
    home_regions,
    parse_user_number,
    region_of,
)
from smstui.domain.schedule_time import read_send_time, repeated_note
from smstui.domain.segments import SegmentInfo, analyse
from smstui.domain.timeparse import describe_zone, gateway_date
from smstui.store import MessageStore
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


def _sender(ctx: CommandContext, store: MessageStore, key: str, given: str | None) -> str:
    """``--from``, else the number the conversation runs on, else ``default_sender``."""
    if given:
        return given
    summary = store.conversation(key)
    if summary is not None and summary.own_number:
        return summary.own_number
    return ctx.settings.default_sender


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
        regions = home_regions(
            region_of(args.sender or ctx.settings.default_sender),
            *(region_of(number) for number in store.own_numbers()),
            ctx.settings.country,
        )
        try:
            to = parse_user_number(args.to, regions)
        except ValueError as error:
            ctx.note(str(error))
            return EXIT_USAGE
        key = conversation_key(to)
        sender = _sender(ctx, store, key, args.sender)
        async with ctx.client(retries=3) as client:
            if not sender:
                sender = await _first_own_number(client)
            if not sender:
                ctx.note("no number to send from: use --from, or set default_sender in the config")
                return EXIT_USAGE
            if _is_terminal(sys.stdin) or dry_run or info.parts > info.max_parts:
                ctx.note(f"{describe_parts(info)} to {display_number(to)}")
            report = Report("", parts=info.parts, encoding=info.encoding)
            code = await _send(ctx, client, store, report, to=to, text=text, sender=sender,
                               dry_run=dry_run, when=when, wait=args.wait,
                               patience=args.timeout)  # fmt: skip
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


async def _first_own_number(client: SmsClient) -> str:
    try:
        numbers = await client.own_numbers()
    except AuthError:
        raise
    except SmsError:
        return ""
    return numbers[0].number if numbers else ""


async def _send(ctx: CommandContext, client: SmsClient, store: MessageStore, report: Report, *,
                to: str, text: str, sender: str, dry_run: bool, when: datetime | None,
                wait: bool, patience: float) -> int:  # fmt: skip
    """POST once, say what happened, keep the message, and wait when asked."""
    reference = new_reference()
    date = gateway_date(when) if when is not None else None
    if when is not None:
        report.scheduled_for = when.isoformat(timespec="minutes")
        ctx.note(f"scheduled for {when.strftime('%Y-%m-%d %H:%M')} {describe_zone(when)}"
                 f"{repeated_note(when)}; "
                 f"the gateway gets {date} (UTC)")  # fmt: skip
    try:
        result = await client.send(to, text, sender, test=dry_run, reference=reference, date=date)
    except AuthError as error:
        report.outcome, report.error = "refused", error.user_message
        ctx.note(f"not sent: {error.user_message}")
        return EXIT_CREDENTIALS
    except SendOutcomeUnknown as error:
        report.outcome, report.error = "unknown", error.user_message
        ctx.note(f"{error.user_message}. It may have been sent: check with "
                 f'"smstui show {to}" before sending it again')  # fmt: skip
        return EXIT_SEND_UNKNOWN
    except Offline as error:
        report.outcome, report.error = "unreachable", error.user_message
        ctx.note(f"not sent: the gateway could not be reached ({error.user_message})")
        return EXIT_UNREACHABLE
    except SmsError as error:
        report.outcome, report.error = "refused", error.user_message
        ctx.note(f"not sent: {error.user_message}")
        return EXIT_SEND_REFUSED
    message_id = result.message_ids[0] if result.message_ids else None
    message = Message(
        key=f"id:{message_id}" if message_id else f"ref:{reference}",
        message_id=message_id,
        outbound=True,
        sender=sender,
        receiver=to,
        text=text,
        attachments=(),
        timestamp=int(when.timestamp() if when else ctx.clock.now()),
        status="DRY RUN" if dry_run else "SCHEDULED" if when else "SUBMITTED",
        reference=reference,
    )
    report.message = message
    if dry_run:
        report.outcome = "dry_run"
        ctx.note(
            f"dry run: the gateway accepted it ({report.parts} part"
            f"{'s' if report.parts != 1 else ''}, {report.encoding}); nothing was sent or charged"
        )
        return EXIT_OK
    if when is not None:
        report.outcome = "scheduled"
        return EXIT_OK
    if message_id is None:
        report.outcome, report.error = "unknown", "the gateway gave no message id"
        ctx.note("the gateway accepted it but gave no message id; check before sending again")
        return EXIT_SEND_UNKNOWN
    report.outcome = "sent"
    store.add_messages(conversation_key(to), [message], source="send")
    if not wait:
        return EXIT_OK
    return await _wait(ctx, client, store, report, to, patience)


async def _wait(ctx: CommandContext, client: SmsClient, store: MessageStore, report: Report,
                to: str, patience: float) -> int:  # fmt: skip
    """Check the conversation until the message has a final status or the time is up."""
    assert report.message is not None
    key = report.message.key
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    pause = ctx.settings.status_refresh
    while True:
        try:
            page = await client.conversation(to, page=1, limit=WAIT_PAGE)
        except AuthError:
            raise
        except SmsError as error:
            ctx.note(f"checking the delivery status failed: {error.user_message}")
        else:
            store.add_messages(conversation_key(to), page.items)
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
