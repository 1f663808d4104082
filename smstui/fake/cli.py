"""``smstui fake-server``: run the fake Smstools gateway on its own until Ctrl+C.

The main command line calls :func:`add_arguments` on its sub-parser and :func:`run` with the
parsed namespace; ``python -m smstui.fake`` does the same.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from types import FrameType

from smstui.fake.faults import KINDS, Fault, parse_fault_spec
from smstui.fake.gateway import FakeGateway

MODES = ("plain_400", "error_int", "file_single", "mine_missing", "placeholder_sender")
DEMO_SECRET = "demo-secret"  # a public demo value, printed on purpose as a sign-in hint


def _fault(text: str) -> Fault:
    try:
        return parse_fault_spec(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the fake-server options to a parser."""
    parser.add_argument("--port", type=int, default=8787, help="port to listen on (0: any free)")
    parser.add_argument(
        "--host",
        default=None,
        help="address to bind (default 127.0.0.1); a non-loopback address is only used "
        "when given here explicitly",
    )
    parser.add_argument("--seed", type=int, default=7, help="data set seed (default 7)")
    parser.add_argument("--scale", choices=("full", "small"), default="full")
    parser.add_argument(
        "--anchor", type=int, default=None, help="epoch seconds of 'now' in the data"
    )
    parser.add_argument("--client-id", default="demo")
    parser.add_argument("--client-secret", default=DEMO_SECRET)
    parser.add_argument(
        "--inbound-every",
        type=_positive,
        default=None,
        metavar="SECONDS",
        help="deliver a new inbound SMS every SECONDS",
    )
    parser.add_argument(
        "--fault",
        type=_fault,
        action="append",
        default=[],
        metavar="KIND[:ENDPOINT[:TIMES[:k=v,...]]]",
        help=f"inject a fault (repeatable); KIND is one of {', '.join(KINDS)}; TIMES "
        "defaults to 1, 0 means always; e.g. latency:*:0:ms=800 or "
        "status_503:/message/inbox:2:retry_after=5; after=N and every=N (one in N) go with "
        "the parameters, e.g. status_502_html:*:0:every=5",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        action="append",
        default=[],
        help="response-shape switch (repeatable)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C (or SIGTERM); return the exit code."""
    explicit_host = args.host is not None
    try:
        gateway = FakeGateway(
            client_id=args.client_id,
            client_secret=args.client_secret,
            seed=args.seed,
            scale=args.scale,
            anchor=args.anchor,
            inbound_every=args.inbound_every,
            host=args.host or "127.0.0.1",
            port=args.port,
            allow_remote=explicit_host,
        )
    except ValueError as error:
        print(f"smstui fake-server: {error}", file=sys.stderr)
        return 2
    for fault in args.fault:
        gateway.add_fault(
            fault.kind, fault.endpoint, fault.times, fault.after, fault.every, **fault.params
        )
    gateway.set_mode(**dict.fromkeys(args.mode, True))
    if not args.quiet:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
        logging.getLogger("smstui.fake").setLevel(logging.INFO)
    try:
        url = gateway.start()
    except OSError as error:
        print(f"smstui fake-server: cannot listen on port {args.port}: {error}", file=sys.stderr)
        return 1
    _print_banner(url, args)
    _stop_on_sigterm()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        gateway.stop()
    return 0


def _print_banner(url: str, args: argparse.Namespace) -> None:
    secret = DEMO_SECRET if args.client_secret == DEMO_SECRET else "<the secret you passed>"
    lines = [
        f"Fake Smstools gateway listening on {url}  (scale {args.scale}, seed {args.seed})",
        f"Client id: {args.client_id}   Client secret: {secret}",
        f"Try: SMSTOOLS_CLIENT_ID={args.client_id} SMSTOOLS_CLIENT_SECRET={secret} "
        f"smstui --base-url {url}",
    ]
    if args.host is not None and args.host not in ("127.0.0.1", "localhost", "::1"):
        lines.append("Warning: reachable from other machines, with well-known credentials.")
    lines.append("Press Ctrl+C to stop.")
    print("\n".join(lines), flush=True)


def _stop_on_sigterm() -> None:
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, interrupt)
        # Started from a shell's background job (``smstui fake-server &``), SIGINT arrives
        # ignored and Python keeps it so: Ctrl+C or ``kill -INT`` would never stop the server.
        signal.signal(signal.SIGINT, interrupt)
