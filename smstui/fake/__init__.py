"""A fake Smstools gateway: a real HTTP server on loopback for the demo, tests and benchmarks.

It follows the API contract (``SMSTOOLS_API.md`` §8) with a deterministic, realistic data set
(500+ conversations in Polish, Dutch, French and English, one of 50,000+ messages), generated
lazily so it starts in milliseconds, plus switches for every failure the client must survive.
Standard library only; it never imports Textual.

Its wall clock is injectable (``clock=``, a :class:`smstui.system.clock.Clock`); tests pin it with a
``FixedClock`` and advance it, so nothing depends on the day the suite runs.

Example:
    >>> clock = FixedClock(1795780800)
    >>> with FakeGateway(scale="small", anchor=1795780800, clock=clock) as gw:  # doctest: +SKIP
    ...     gw.add_fault("status_503", "/message/inbox", retry_after=1)
    ...     httpx.get(f"{gw.url}/auth", headers=...)
"""

from smstui.fake.gateway import FakeGateway
from smstui.fake.recorded import RecordedRequest

__all__ = ["FakeGateway", "RecordedRequest"]
