"""The process exit codes of ``smstui``, shared by the command-line modules."""

EXIT_OK = 0
EXIT_UNEXPECTED = 1
"""An unexpected error; one line on the terminal, the traceback in the log file."""
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_CREDENTIALS = 4
"""Credentials missing, rejected by the gateway, or impossible to store."""
EXIT_UNREACHABLE = 5
"""The gateway could not be reached or answered badly (``auth login``)."""
EXIT_SEND_REFUSED = 6
"""The gateway refused a send (credit, opt-out, a bad number …): nothing was sent."""
EXIT_SEND_UNKNOWN = 7
"""A send may have reached the gateway but no usable answer came back: look before resending."""
EXIT_NOT_DELIVERED = 8
"""``send --wait``: the message was sent but its final status is not delivered."""
EXIT_WAIT_TIMEOUT = 9
"""``send --wait``: the message was sent; no final status came before the timeout."""
EXIT_STORE_ONLY = 10
"""A reading command answered from the local store only: the gateway could not be reached."""
EXIT_TOO_MANY_PARTS = 11
"""``send``: the text needs more SMS parts than allowed (over ``max_parts`` without
``--allow-parts`` covering them, or over ``hard_max_parts``); nothing was sent."""
EXIT_INTERRUPTED = 130
EXIT_HANGUP = 129
"""The terminal went away (SIGHUP, or end of input on it): 128 + SIGHUP, as a shell reports it."""
EXIT_TERMINATED = 143
"""Stopped by SIGTERM: 128 + SIGTERM. The draft was saved and the terminal restored first."""
