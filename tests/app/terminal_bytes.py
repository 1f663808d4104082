"""Raw terminal bytes into a running app, through the parser its real driver would use."""

from __future__ import annotations

from typing import Any

from textual._xterm_parser import XTermParser
from textual.app import App
from textual.message import Message


def parse(data: bytes, parser_class: type[XTermParser]) -> list[Message]:
    """What a parser makes of ``data`` read in one go, then the end of input."""
    parser = parser_class()
    text = data.decode("utf-8")
    return [*parser.feed(text), *parser.feed("")]


def deliver(app: App[Any], data: bytes) -> None:
    """Parse ``data`` with the parser of the app's driver class and hand every event to the
    running app at once, as the driver's input thread does with one read."""
    parser_class = getattr(app.driver_class, "parser_class", XTermParser)
    assert app._driver is not None
    for event in parse(data, parser_class):
        app._driver.process_message(event)
