"""``python -m smstui``: the same as the ``smstui`` command."""

import sys

from smstui.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
