"""Run one scripting command: find the credentials, run it, turn failures into exit codes."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3

from smstui.api.errors import AuthError
from smstui.cli import export, reading
from smstui.cli.context import CommandContext
from smstui.cli.parser import FORMATS
from smstui.store.files import is_damage
from smstui.store.reserve import is_disk_full
from smstui.system.config import Settings
from smstui.system.exit_codes import EXIT_CREDENTIALS, EXIT_UNEXPECTED, EXIT_USAGE

__all__ = ["run_command"]

logger = logging.getLogger(__name__)

READ_ONLY = frozenset({"conversations", "show", "search", "unread"})
"""Commands that may simply run again after a damaged store was set aside."""


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``smstui <command>`` for the commands of this package; return the exit code.

    Raises:
        CredentialError: No credentials (the caller prints it and exits 4).
    """
    ctx = CommandContext.resolve(settings, offline=getattr(args, "offline", False))
    try:
        try:
            return asyncio.run(_run(ctx, args))
        except sqlite3.DatabaseError as error:
            # Found damaged while reading: set it aside and answer again from a fresh store
            # (a send or a watch is never run twice: only the commands that only read).
            if args.command not in READ_ONLY or not is_damage(error) or not ctx.set_aside(error):
                raise
            return asyncio.run(_run(ctx, args))
    except AuthError as error:
        ctx.note(error.user_message)
        return EXIT_CREDENTIALS
    except sqlite3.OperationalError as error:
        if not is_disk_full(error):
            raise
        ctx.note(f"the disk is full: the message store could not be written ({error})")
        return EXIT_UNEXPECTED


async def _run(ctx: CommandContext, args: argparse.Namespace) -> int:
    command = args.command
    if command == "send":
        from smstui.cli.send import run_send

        return await run_send(ctx, args)
    if command == "watch":
        from smstui.cli.watch import run_watch

        return await run_watch(ctx, args)
    if command == "show":
        return await _show(ctx, args)
    if command == "export":
        return await _export(ctx, args)
    body = {
        "conversations": reading.conversations,
        "search": reading.search,
        "unread": reading.unread,
    }[command]
    return await reading.run_reading(ctx, args, lambda store, fresh: body(ctx, args, store, fresh))


async def _show(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.open_store() as store:
        try:
            target = reading.resolve_conversation(store, args.number, ctx.settings)
        except ValueError as error:
            if args.offline:
                return reading.bad_number(ctx, error)
            # A name the store does not know yet (a first run): catch up, then look again.
            fresh = await reading.synced(ctx, store, offline=False)
            try:
                target = reading.resolve_conversation(store, args.number, ctx.settings)
            except ValueError as again:
                return reading.bad_number(ctx, again)
            if fresh:
                fresh = await reading.synced(
                    ctx, store, offline=False, extra=reading.thread_fetcher(target, args.limit)
                )
        else:
            extra = reading.thread_fetcher(target, args.limit)
            fresh = await reading.synced(ctx, store, offline=args.offline, extra=extra)
        code = reading.show(ctx, args, store, fresh, target[0])
    return reading.settle(code, fresh)


async def _export(ctx: CommandContext, args: argparse.Namespace) -> int:
    words = list(args.number)
    if words and words[0].lower() in FORMATS:
        chosen = words.pop(0).lower()
        if args.format not in (None, chosen):
            ctx.note(f"two formats asked for: {chosen} and --format {args.format}")
            return EXIT_USAGE
        args.format = chosen
    if len(words) > 1:
        ctx.note(f"one conversation at most (got {len(words)}: {' '.join(words)})")
        return EXIT_USAGE
    args.number = words[0] if words else None
    form = export.export_format(args)
    if form is None:
        ctx.note("--json writes JSON lines: leave out --format, or use --format jsonl")
        return EXIT_USAGE
    try:
        since, until = export.parse_range(args)
    except ValueError as error:
        ctx.note(str(error))
        return EXIT_USAGE
    with ctx.open_store() as store:
        key = None
        if args.number:
            try:
                key, _ = reading.resolve_conversation(store, args.number, ctx.settings)
            except ValueError as error:
                if not any(c.isdigit() for c in args.number):
                    ctx.note(f"formats: {', '.join(FORMATS)} (smstui export jsonl)")
                return reading.bad_number(ctx, error)
        fresh = await reading.synced(ctx, store, offline=args.offline)
        code = export.write_export(ctx, store, key=key, form=form, since=since, until=until)
    return reading.settle(code, fresh)
