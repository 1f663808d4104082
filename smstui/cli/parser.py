"""The command-line syntax of the scripting commands (added to ``smstui``'s own parser)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["COMMANDS", "add_command_parsers"]

COMMANDS = ("send", "conversations", "show", "search", "unread", "export", "watch")
"""The subcommands this package runs."""

FORMATS = ("jsonl", "csv", "txt")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _seconds(minimum: float) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
        if not value >= minimum:  # also refuses NaN
            raise argparse.ArgumentTypeError(f"must be at least {minimum:g} seconds")
        return value

    return parse


def _parts(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of parts: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 part")
    return value


def add_command_parsers(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``send``, ``conversations``, ``show``, ``search``, ``unread``, ``export``, ``watch``.

    Args:
        subcommands: The object returned by ``ArgumentParser.add_subparsers``.
        common: Parent parser with the options every subcommand accepts (``--config`` …).
    """
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--json", action="store_true", help="print JSON (see the README)")
    reading = argparse.ArgumentParser(add_help=False, parents=[output])
    reading.add_argument(
        "--offline",
        action="store_true",
        help="answer from the local store without asking the gateway for what is new",
    )

    send = subcommands.add_parser(
        "send",
        parents=[common, output],
        help="send one SMS",
        description="Send one SMS. The text comes from TEXT, or from standard input when TEXT "
        "is - or missing. A send is never retried on its own.",
    )
    send.add_argument("to", metavar="TO", help="the number to send to (+48 512 345 678)")
    send.add_argument("text", metavar="TEXT", nargs="?", default="-", help="the message, or -")
    send.add_argument("--from", dest="sender", metavar="SENDER", help="our number or name")
    send.add_argument(
        "--dry-run",
        dest="send_dry_run",  # not "dry_run": the subparser's default would undo smstui --dry-run
        action="store_true",
        help="let the gateway check it; nothing is sent or charged",
    )
    send.add_argument(
        "--allow-parts",
        type=_parts,
        metavar="N",
        help="send text over max_parts if it needs at most N parts (each is charged as one "
        "message); text over hard_max_parts is never sent",
    )
    send.add_argument(
        "--at",
        metavar="TIME",
        help="send later, as in the app: 9:30, tomorrow 9:30, 2026-12-01 9:30, +2h (local time) "
        "or ISO 8601 with an offset",
    )
    send.add_argument(
        "--wait", action="store_true", help="wait until it is delivered or has failed"
    )
    send.add_argument(
        "--timeout",
        type=_seconds(1),
        default=300.0,
        metavar="SECONDS",
        help="how long --wait waits (default 300)",
    )

    conversations = subcommands.add_parser(
        "conversations",
        parents=[common, reading],
        help="list conversations, newest first",
        description="List conversations, newest activity first.",
    )
    conversations.add_argument(
        "--unread", action="store_true", help="only conversations with unread messages"
    )
    conversations.add_argument(
        "--limit", type=_positive_int, metavar="N", help="at most N conversations"
    )

    show = subcommands.add_parser(
        "show",
        parents=[common, reading],
        help="print a conversation",
        description="Print the newest messages of a conversation, oldest first.",
    )
    show.add_argument(
        "number", metavar="NUMBER", help="the other party's number, or a contact's name"
    )
    show.add_argument(
        "--limit", type=_positive_int, default=20, metavar="N", help="messages (default 20)"
    )

    search = subcommands.add_parser(
        "search",
        parents=[common, reading],
        help="search names, numbers and message text",
        description="Search the stored messages: names, numbers (any run of digits) and "
        "words, accents optional.",
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument(
        "--limit", type=_positive_int, default=50, metavar="N", help="most messages (50)"
    )

    subcommands.add_parser(
        "unread",
        parents=[common, reading],
        help="print the number of unread messages (for a status line)",
        description="Print the number of unread messages, as the app counts them.",
    )

    export = subcommands.add_parser(
        "export",
        parents=[common, reading],
        help="export messages as JSON lines, CSV or text",
        description="Export stored messages, conversation by conversation, oldest first "
        "within each. --since is inclusive, --until exclusive; a date alone is its midnight, "
        "local time.",
    )
    # "smstui export jsonl" is the natural guess: a format may come first, as a word.
    export.add_argument(
        "number",
        metavar="FORMAT/NUMBER",
        nargs="*",
        help="a format first, if any: jsonl, csv or txt (as --format); then a conversation "
        "(a number or a contact's name) to export only that one",
    )
    export.add_argument("--format", choices=FORMATS, help="jsonl (with --json), csv or txt")
    export.add_argument("--since", metavar="TIME", help="from this time (YYYY-MM-DD [HH:MM])")
    export.add_argument("--until", metavar="TIME", help="before this time")

    watch = subcommands.add_parser(
        "watch",
        parents=[common, output],
        help="print new messages as they arrive; run hooks",
        description="Check the gateway every poll interval, keep what arrives in the local "
        "store, and print each new message (never the history). Runs the configured hooks "
        "when hooks_enabled is true. Stop it with Ctrl+C.",
    )
    watch.add_argument(
        "--interval",
        type=_seconds(1),
        metavar="SECONDS",
        help="seconds between checks (default: sync.poll_interval of the config)",
    )
