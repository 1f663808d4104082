"""A flaky gateway on the status line: a blip is never said; an outage once, then back, then calm.

The app runs on a clock of the test's own in which every request the gateway receives takes one
second (time moves with the traffic, never with the machine's speed): a retry that works comes a
second after its failure; an outage is ten failed requests long before it is said. Polls run
every 0.2 s of real time, with backoff capped at 1 s, so the phases pass quickly.
"""

from __future__ import annotations

from smstui.fake import FakeGateway
from smstui.system.config import Settings
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import build_app
from smstui.ui.widgets.status_line import StatusLine
from tests.app.compose_helpers import start, wait_for
from tests.app_fixtures import ANCHOR, SECRET, STANDARD, PopenRecorder, ssh

FAST = {"poll_interval": 0.2, "status_refresh": 0.2, "poll_backoff_max": 1.0}


class TrafficClock:
    """The anchor plus one second per request the gateway has received."""

    def __init__(self, gateway: FakeGateway) -> None:
        self._gateway = gateway

    def now(self) -> float:
        """Return the time the traffic has reached."""
        return ANCHOR + float(self._gateway.count("GET", "/") + self._gateway.count("POST", "/"))


def record(line: StatusLine) -> list[tuple[str, str]]:
    """Every status the line is told to show from now on: ``("trouble", label)`` for a retry
    countdown, ``("show", text)`` for the rest."""
    said: list[tuple[str, str]] = []
    show, countdown = line.show, line.offline_until

    def record_show(text: str, tone: str = "info") -> None:
        said.append(("show", text))
        show(text, tone)  # type: ignore[arg-type]

    def record_countdown(retry_at: float, clock: object, *, label: str = "Offline") -> None:
        said.append(("trouble", label))
        countdown(retry_at, clock, label=label)  # type: ignore[arg-type]

    line.show = record_show  # type: ignore[method-assign]
    line.offline_until = record_countdown  # type: ignore[method-assign]
    return said


def episodes(said: list[tuple[str, str]]) -> list[str]:
    """What was said, with a run of countdown updates counted once."""
    found: list[str] = []
    for kind, text in said:
        entry = "trouble: " + text if kind == "trouble" else text
        if not (kind == "trouble" and found and found[-1].startswith("trouble: ")):
            found.append(entry)
    return found


async def test_a_blip_is_never_said_an_outage_once_then_connected_again_then_up_to_date(
    fresh_gateway: FakeGateway, popen: PopenRecorder
) -> None:
    gateway = fresh_gateway
    app = build_app(
        settings=Settings(base_url=gateway.url, **FAST),  # type: ignore[arg-type]
        credentials=Credentials("test-client", Secret(SECRET), source="test"),
        clock=TrafficClock(gateway),
        environment=ssh(),
        popen=popen,
    )
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        line = inbox.status_line
        said = record(line)

        # One GET in five fails with a 502; each is retried and works.
        polled = gateway.count("GET", "/message/inbox")
        gateway.add_fault("status_502_html", "*", times=0, every=5)
        await wait_for(
            pilot,
            lambda: gateway.count("GET", "/message/inbox") - polled >= 25,
            seconds=60,
            what="25 polls with one GET in five failing",
        )
        assert [kind for kind, _ in said if kind == "trouble"] == [], said
        assert line.text == "Up to date"

        # Every GET fails: once it has lasted, it is said, with when the next try is.
        gateway.clear_faults()
        gateway.add_fault("status_502_html", "*", times=0)
        await wait_for(
            pilot, lambda: "trouble" in line.text, seconds=60, what="the outage to be said"
        )
        assert line.text.startswith("The gateway is having trouble (HTTP 502)")
        assert "retrying" in line.text

        # It answers again: "Connected again", then back to "Up to date".
        gateway.clear_faults()
        await wait_for(
            pilot,
            lambda: "Connected again" in episodes(said) and line.text == "Up to date",
            seconds=60,
            what="Connected again, then Up to date",
        )
        assert episodes(said) == [
            "trouble: The gateway is having trouble (HTTP 502); try again later",
            "Connected again",
            "Up to date",
        ]
