"""The fake gateway's HTTP server: a real loopback socket, with faults that happen on the wire.

Standard library only (``http.server`` with one thread per connection, HTTP/1.1 keep-alive).
Byte-level faults work on the raw socket: ``reset`` closes it with ``SO_LINGER 0`` so the
client gets a real TCP RST, ``truncated`` promises more bytes than it sends, ``drip`` trickles
the body, ``hang`` answers nothing until the client gives up, ``hold`` waits for the test.
"""

from __future__ import annotations

import contextlib
import logging
import select
import selectors
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from smstui.fake import render
from smstui.fake.faults import FaultBook, ParamValue
from smstui.fake.recorded import RecordedRequest, decode_body
from smstui.fake.routes import Reply, Router, json_reply
from smstui.fake.tamper import TAMPERING, tamper

logger = logging.getLogger("smstui.fake")

_MAX_BODY = 2 * 1024 * 1024
_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_HTML_503 = b"<html><body><h1>503 Service Unavailable</h1>Back soon.</body></html>\r\n"
_BROKEN_JSON = (
    b'{"total": 3, "shown": 3, "page": 1, "limit": 50, "conversation": [{"messageId": null, '
    b'"direction": "inbound", "message": "Dzie\xc5\x84 dobry, '
)


@dataclass(frozen=True, slots=True)
class ServerContext:
    """What the request handler needs from its gateway."""

    router: Router
    faults: FaultBook
    record: Callable[[RecordedRequest], None]
    files_origin: str | None = None


class GatewayServer(ThreadingHTTPServer):
    """A threading HTTP server that can drop every open connection when it stops."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], context: ServerContext) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, GatewayHandler)
        self.context = context
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._wake_reader, self._wake_writer = socket.socketpair()

    def serve_until_stopped(self) -> None:
        """Accept connections until :meth:`request_stop`; sleeps without polling meanwhile.

        ``serve_forever`` polls every ``poll_interval`` and makes every stop wait that long;
        a wake-up socket makes stopping immediate and an idle demo costs no CPU.
        """
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self.stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self.socket and not self.stopping.is_set():
                        self._accept_one()

    def _accept_one(self) -> None:
        """What ``serve_forever`` does for one ready listening socket."""
        try:
            request, client_address = self.get_request()
        except OSError:
            return
        if not self.verify_request(request, client_address):
            self.shutdown_request(request)
            return
        try:
            self.process_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
            self.shutdown_request(request)

    def request_stop(self) -> None:
        """Make :meth:`serve_until_stopped` return, and hanging or dripping answers end."""
        self.stopping.set()
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def server_close(self) -> None:
        """Close the listening socket and the wake-up pair."""
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def track(self, connection: socket.socket, *, alive: bool) -> None:
        """Remember (or forget) an open client connection."""
        with self._connections_lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def drop_connections(self) -> None:
        """Shut every open connection so idle keep-alive threads end at once."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients vanishing mid-answer is normal here; keep it out of stderr."""
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)


def fault_reply(kind: str, params: dict[str, ParamValue], router: Router) -> Reply | None:
    """The canned answer of a response-replacing fault, or None for wire-level ones."""
    retry = (("Retry-After", _retry_after(params.get("retry_after", 1))),)
    if kind == "status_404_html":  # a gateway (or a proxy) without this endpoint
        return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
    if kind == "status_401":
        # Credentials revoked mid-session, answered the way some gateways and proxies do:
        # HTTP 401 with the status echoed as the code, not the documented 104.
        return Reply(401, b'{"error": "401", "errorMsg": "Unauthorized"}')
    if kind == "status_500":
        return Reply(500, b"Internal Server Error\n", "text/plain; charset=utf-8")
    if kind == "status_502_html":
        return Reply(502, _HTML_502, "text/html")
    if kind == "status_429":
        return Reply(429, b'{"error": "Too Many Requests"}', headers=retry)
    if kind == "status_503":
        return Reply(503, _HTML_503, "text/html", headers=retry)
    if kind == "error_105":
        body = render.error_body(105, "Temporary server problem, try again later", router.modes)
        return json_reply(body, 400)
    if kind == "malformed_json":
        return Reply(200, _BROKEN_JSON)
    if kind == "error_in_200":
        body = render.error_body(139, "Missing or invalid parameters: page", router.modes)
        return json_reply(body, 200)
    return None


def _retry_after(value: ParamValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class GatewayHandler(BaseHTTPRequestHandler):
    """Serves one client connection; see the module docstring for the faults."""

    protocol_version = "HTTP/1.1"
    server_version = "SmstoolsFake/1.0"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is closed after this long

    def setup(self) -> None:
        """Register the connection so :meth:`GatewayServer.drop_connections` can end it."""
        super().setup()
        # Head and body go out in two writes; without NODELAY, Nagle's algorithm meets the
        # client's delayed ACK and every answer waits ~40 ms.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._gateway().track(self.connection, alive=True)

    def finish(self) -> None:
        """Unregister the connection."""
        try:
            super().finish()
        finally:
            self._gateway().track(self.connection, alive=False)

    def _gateway(self) -> GatewayServer:
        return cast(GatewayServer, self.server)

    def do_GET(self) -> None:
        """Serve GET (and, through the aliases below, every other method)."""
        self._serve()

    do_POST = do_GET
    do_PUT = do_GET
    do_PATCH = do_GET
    do_DELETE = do_GET

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log one line per answered request (no headers, so never a credential)."""
        logger.info("%s %s -> %s", self.command, self.path, code)

    def log_message(self, format: str, *args: Any) -> None:
        """Route the stdlib's own messages to our logger instead of stderr."""
        logger.debug(format, *args)

    # -- one request ---------------------------------------------------------------------

    def _serve(self) -> None:
        server = self._gateway()
        context = server.context
        split = urlsplit(self.path)
        body = self._read_body()
        query: dict[str, str] = {}
        for key, value in parse_qsl(split.query, keep_blank_values=True):
            query.setdefault(key, value)
        path = unquote(split.path[3:] if split.path.startswith("/v1/") else split.path)
        context.record(RecordedRequest(self.command, path, query, decode_body(body)))
        plan = context.faults.plan(path)
        if plan.latency_ms and server.stopping.wait(plan.latency_ms / 1000):
            self._reset()
            return
        if plan.hold:
            context.faults.gate.wait(server.stopping)
            if server.stopping.is_set():
                self._reset()
                return
        if plan.shift:
            number = path[len("/conversation/") :] if path.startswith("/conversation/") else None
            context.router.state.shift(number, plan.shift)
        fault = plan.fault
        kind = fault.kind if fault else ""
        params = fault.params if fault else {}
        if kind == "reset":
            self._reset()
            return
        if kind == "hang":
            self._hang(float(params.get("seconds", 30)))
            return
        reply = fault_reply(kind, params, context.router) if kind else None
        if reply is None:
            reply = self._respond(context.router, split.path, query, body)
        if kind == "no_message_id" and 200 <= reply.status < 300:
            # Served (a send is kept), but the answer names no message id: "not confirmed".
            reply = json_reply({}, reply.status)
        if kind in TAMPERING:
            reply = tamper(kind, params, reply)
        if kind == "drop_after_send":
            self._reset()
        elif kind == "drip":
            self._drip(reply, float(params.get("interval", 0.25)), int(params.get("bytes", 0)))
        elif kind == "truncated":
            self._write(reply, reply.body[: len(reply.body) // 2])
            self.close_connection = True
        else:
            self._write(reply, reply.body)

    def _respond(self, router: Router, path: str, query: dict[str, str], body: bytes) -> Reply:
        try:
            return router.respond(
                self.command, path, query, body, self._lower_headers(), self._origin()
            )
        except Exception:
            # A bug in the fake must show up as a clear 500, not as a silent disconnect.
            logger.exception("fake gateway failed on %s %s", self.command, self.path)
            return json_reply({"error": "Internal error in the fake gateway"}, 500)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while (size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)) > 0:
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(min(length, _MAX_BODY)) if length > 0 else b""

    def _lower_headers(self) -> dict[str, str]:
        return {key.lower(): value for key, value in self.headers.items()}

    def _origin(self) -> str:
        files_origin = self._gateway().context.files_origin
        if files_origin:
            return files_origin
        host = self.headers.get("Host")
        if not host:
            host_part, port = self._gateway().server_address[:2]
            host = f"{host_part!s}:{port!s}"
        return f"http://{host}"

    def _write(self, reply: Reply, body: bytes) -> None:
        self._write_head(reply)
        self.wfile.write(body)

    def _write_head(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()

    # -- wire-level faults ---------------------------------------------------------------

    def _reset(self) -> None:
        """Close the socket abruptly: SO_LINGER 0 turns the close into a TCP RST."""
        logger.info("%s %s -> connection reset", self.command, self.path)
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket only really closes once the buffered reader lets go of it too. The
        # writer is left open (it owns no reference) so the stdlib's final flush is a no-op.
        self.rfile.close()
        self.connection.close()

    def _hang(self, seconds: float) -> None:
        """Say nothing until the client hangs up, the gateway stops or ``seconds`` pass."""
        logger.info("%s %s -> hanging", self.command, self.path)
        self.close_connection = True
        stopping = self._gateway().stopping
        waited = 0.0
        while waited < seconds and not stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.1)
            waited += 0.1
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return  # the client gave up
                except OSError:
                    return
                stopping.wait(0.1)
                waited += 0.1

    def _drip(self, reply: Reply, interval: float, chunk: int) -> None:
        """Send the head at once, then the body a few bytes at a time."""
        body = reply.body
        size = chunk if chunk > 0 else max(1, -(-len(body) // 16))
        stopping = self._gateway().stopping
        try:
            self._write_head(reply)
            for start in range(0, len(body), size):
                if start and stopping.wait(interval):
                    self.close_connection = True
                    return
                self.wfile.write(body[start : start + size])
        except OSError:
            self.close_connection = True
