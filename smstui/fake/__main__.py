"""``python -m smstui.fake``: run the fake gateway on its own (same as ``smstui fake-server``)."""

from __future__ import annotations

import argparse
import sys

from smstui.fake.cli import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until Ctrl+C."""
    parser = argparse.ArgumentParser(
        prog="python -m smstui.fake", description="Run the fake Smstools gateway."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
