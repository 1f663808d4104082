"""smstui: a keyboard-driven terminal inbox for the Smstools SMS gateway.

Importing this package must stay cheap and must not import Textual.
"""

__version__ = "0.1.0"
