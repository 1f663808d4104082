"""``FakeGateway``: a real HTTP server on loopback that behaves like the Smstools API.

Used by ``smstui --demo``, the test suite and the benchmarks. Start it, point the client at
:attr:`FakeGateway.url`, and steer it from the test: inject faults, switch response shapes,
deliver inbound texts, settle delivery statuses, inspect the requests it received.
"""

from __future__ import annotations

import ipaddress
import threading
from types import TracebackType

from smstui.fake.dataset import build_directory
from smstui.fake.faults import FaultBook, ParamValue, make_fault
from smstui.fake.recorded import RecordedRequest
from smstui.fake.render import Modes
from smstui.fake.routes import Router
from smstui.fake.server import GatewayServer, ServerContext
from smstui.fake.state import GatewayState
from smstui.system.clock import Clock, SystemClock
from smstui.system.secret import Secret


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class FakeGateway:
    """A fake Smstools gateway with deterministic data (see the package docstring).

    Args:
        client_id: the accepted ``X-Client-Id``.
        client_secret: the accepted ``X-Client-Secret``.
        seed: the data set's seed; same seed and anchor, same data.
        scale: ``"full"`` (500+ conversations, one of 50,000+ messages) or ``"small"``.
        anchor: epoch seconds of "now" in the data set; default the clock's current minute.
        status_delays: seconds after a send until ``BUFFERED`` and until the final status.
        inbound_every: seconds between scheduled inbound texts; None for none.
        host: address to bind; loopback only unless ``allow_remote``.
        port: port to bind; 0 picks a free one.
        allow_remote: permit a non-loopback ``host`` (the command line's explicit ``--host``).
        files_origin: origin for attachment URLs (``https://files.example``) instead of the
            address the client reached us at; snapshots use it so no port number shows.
        clock: the wall clock, read for the default anchor, the time of new messages, due
            scheduled sends, the ``date`` check of a send and scheduled inbound texts; the
            real clock by default. Tests pass a ``FixedClock`` and advance it. (Delivery
            statuses move on with ``time.monotonic``, whatever the clock.)
    """

    def __init__(
        self,
        client_id: str = "demo",
        client_secret: str | Secret = "demo-secret",
        seed: int = 7,
        scale: str = "full",
        anchor: int | None = None,
        status_delays: tuple[float, float] = (3.0, 8.0),
        inbound_every: float | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        allow_remote: bool = False,
        files_origin: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise ValueError(f"refusing to serve the fake gateway on non-loopback host {host!r}")
        if inbound_every is not None and inbound_every <= 0:
            raise ValueError("inbound_every must be positive (or None)")
        secret = client_secret if isinstance(client_secret, Secret) else Secret(client_secret)
        self.clock: Clock = SystemClock() if clock is None else clock
        self.anchor = int(self.clock.now()) // 60 * 60 if anchor is None else int(anchor)
        self._state = GatewayState(
            build_directory(seed, scale, self.anchor),
            seed=seed,
            anchor=self.anchor,
            status_delays=status_delays,
            inbound_every=inbound_every,
            wall=self.clock.now,
        )
        self._router = Router(self._state, client_id, secret)
        self._faults = FaultBook()
        self._requests: list[RecordedRequest] = []
        self._requests_lock = threading.Lock()
        self._address = (host, port)
        self._files_origin = files_origin
        self._server: GatewayServer | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> str:
        """Bind and serve from a daemon thread; return the base URL (``http://…/v1``)."""
        if self._server is not None:
            return self.url
        context = ServerContext(self._router, self._faults, self._record, self._files_origin)
        server = GatewayServer(self._address, context)
        host, port = server.server_address[:2]
        shown = f"[{host!s}]" if ":" in str(host) else str(host)
        self._url = f"http://{shown}:{port}/v1"
        self._state.start_clock()
        self._thread = threading.Thread(
            target=server.serve_until_stopped, daemon=True, name=f"fake-gateway:{port}"
        )
        self._server = server
        self._thread.start()
        return self._url

    @property
    def url(self) -> str:
        """The base URL including ``/v1``; only valid after :meth:`start`."""
        if self._url is None:
            raise RuntimeError("the fake gateway is not started")
        return self._url

    def stop(self) -> None:
        """Stop serving, drop open connections and release the port."""
        server, self._server = self._server, None
        if server is None:
            return
        server.request_stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
        server.drop_connections()
        server.server_close()
        self._url = None

    def __enter__(self) -> FakeGateway:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- steering ------------------------------------------------------------------------

    def add_fault(
        self,
        kind: str,
        endpoint: str = "*",
        times: int = 1,
        after: int = 0,
        every: int = 1,
        **params: ParamValue,
    ) -> None:
        """Make matching requests misbehave (kinds and parameters: :mod:`.faults`).

        Args:
            kind: ``latency``, ``hold``, ``drip``, ``hang``, ``status_401``, ``status_404_html``,
                ``status_500``, ``status_502_html``, ``status_429``, ``status_503``, ``error_105``,
                ``malformed_json``, ``truncated``, ``reset``, ``error_in_200``, ``shift``,
                ``drop_after_send``, ``no_message_id`` (a send is kept, but its 2xx answer names
                no id), or one that spoils the first item of a good answer (:mod:`.tamper`):
                ``bad_time`` (``value``, default 1e20), ``bad_utf8``, ``bad_item``.
            endpoint: path pattern under ``/v1`` (fnmatch), e.g. ``"/conversation/*"``.
            times: how many matching requests get the fault; 0 means every one.
            after: how many matching requests pass untouched first.
            every: only each ``every``-th matching request after those gets it (5: one in
                five).
            **params: ``ms`` (latency, default 500), ``interval``/``bytes`` (drip: seconds
                between chunks, default 0.25, and chunk size, default 1/16 of the body),
                ``seconds`` (hang: give up after, default 30), ``retry_after`` (429/503:
                seconds or an HTTP date, default 1), ``count`` (shift, default 3: new inbound
                texts on top of the requested conversation, or of the most recently active
                one for other endpoints). A ``hold`` keeps each matching request unanswered
                until :meth:`release` (or :meth:`stop`); :attr:`held` says how many wait.

        Raises:
            ValueError: for an unknown kind or parameter.
        """
        self._faults.add(make_fault(kind, endpoint, times, after, every, **params))

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    @property
    def held(self) -> int:
        """How many requests a ``hold`` fault keeps waiting right now (they are recorded)."""
        return self._faults.gate.held

    def release(self) -> int:
        """Let every request held by a ``hold`` fault be served now; return how many."""
        return self._faults.gate.release()

    def set_mode(
        self,
        plain_400: bool = False,
        error_int: bool = False,
        file_single: bool = False,
        mine_missing: bool = False,
        placeholder_sender: bool = False,
    ) -> None:
        """Switch the response shapes; switches not named are turned off (see ``Modes``)."""
        self._router.modes = Modes(
            plain_400, error_int, file_single, mine_missing, placeholder_sender
        )

    def deliver_inbound(
        self, sender: str, text: str, receiver: str | None = None, attachments: int = 0
    ) -> None:
        """Receive a new SMS now, at the top of its conversation and of the inbox."""
        self._state.deliver_inbound(sender, text, receiver, attachments)

    def name_contact(self, number: str, firstname: str, lastname: str) -> None:
        """Put a conversation's counterparty in the address book under this name, as given."""
        self._state.name_contact(number, firstname, lastname)

    def advance_statuses(self) -> None:
        """Move every pending outbound message to its final status now."""
        self._state.advance_statuses()

    # -- inspection ----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order (a copy)."""
        with self._requests_lock:
            return list(self._requests)

    def count(self, method: str, path_prefix: str) -> int:
        """How many requests had this method and a path starting with ``path_prefix``."""
        method = method.upper()
        with self._requests_lock:
            return sum(
                1 for r in self._requests if r.method == method and r.path.startswith(path_prefix)
            )

    @property
    def own_numbers(self) -> tuple[str, ...]:
        """Our virtual numbers, digits only (Belgian first, then Polish)."""
        return self._state.directory.own_numbers

    @property
    def largest_conversation(self) -> str:
        """Number of the 50,000-message conversation (600 at ``scale="small"``)."""
        return self._state.directory.largest

    def conversation_numbers(self) -> list[str]:
        """Every counterparty, newest activity first."""
        self._state.catch_up()
        return self._state.conversation_numbers()

    def message_count(self, number: str) -> int:
        """Messages in a conversation right now (0 for an unknown number)."""
        self._state.catch_up()
        with self._state.lock:
            thread = self._state.thread(number)
            return 0 if thread is None else len(thread.added) + thread.spec.count

    def _record(self, request: RecordedRequest) -> None:
        with self._requests_lock:
            self._requests.append(request)
