"""Request routing of the fake gateway: auth, paging and every endpoint of contract §8.

:meth:`Router.respond` is a pure request → :class:`Reply` function over the shared
:class:`~smstui.fake.state.GatewayState`; the wire-level faults live in :mod:`.server`.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from smstui.fake import files, render
from smstui.fake.render import JsonObject, Modes
from smstui.fake.sending import SendRejected, normalise_number, validate_send
from smstui.fake.state import GatewayState
from smstui.system.secret import Secret

JSON_TYPE = "application/json; charset=utf-8"
_INTEGER = re.compile(r"[0-9]{1,12}")

Query = dict[str, str]


@dataclass(frozen=True, slots=True)
class Reply:
    """A complete HTTP answer."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: tuple[tuple[str, str], ...] = ()


def json_reply(payload: object, status: int = 200) -> Reply:
    """Serialise a payload as UTF-8 JSON (non-ASCII kept as is, like the real API).

    Any string can be served: what UTF-8 cannot carry (a lone surrogate, which can only occur
    inside a JSON string) becomes its JSON escape (backslash, ``u``, four hex digits), so the
    client decodes the very same string.
    """
    return Reply(
        status, json.dumps(payload, ensure_ascii=False).encode("utf-8", "backslashreplace")
    )


class Router:
    """Answers requests for one gateway.

    Args:
        state: the shared conversations and messages.
        client_id: the accepted ``X-Client-Id``.
        client_secret: the accepted ``X-Client-Secret``.
    """

    def __init__(self, state: GatewayState, client_id: str, client_secret: Secret) -> None:
        self.state = state
        self.modes = Modes()
        self._client_id = client_id.encode()
        self._client_secret = client_secret
        self._routes: dict[tuple[str, str], Callable[[str, Query, bytes, str], Reply]] = {
            ("GET", "/auth"): lambda *_: json_reply({"username": client_id}),
            ("GET", "/balance"): lambda *_: json_reply({"credits": "42.50", "currency": "EUR"}),
            ("GET", "/senderids"): self._senderids,
            ("GET", "/vmn"): self._vmn,
            ("GET", "/account"): self._account,
            ("GET", "/message/inbox"): self._inbox,
            ("GET", "/message/logging"): self._history,
            ("GET", "/message/history"): self._history,
            ("GET", "/contact"): self._contacts,
            ("GET", "/outbox"): self._outbox,
            ("POST", "/message/send"): self._send,
        }
        self._prefixed: dict[tuple[str, str], Callable[[str, Query, bytes, str], Reply]] = {
            ("GET", "/message/inbox/"): self._inbox,
            ("GET", "/conversation/"): self._conversation,
            ("DELETE", "/outbox/"): self._cancel_outbox,
        }

    # -- entry point ---------------------------------------------------------------------

    def respond(
        self,
        method: str,
        raw_path: str,
        query: Query,
        body: bytes,
        headers: dict[str, str],
        origin: str,
    ) -> Reply:
        """Answer one request.

        Args:
            method: the HTTP method.
            raw_path: the URL path, still percent-encoded, including ``/v1``.
            query: query parameters (first value of each).
            body: the raw request body.
            headers: request headers with lower-case names.
            origin: ``http://host:port`` the client reached us at, for attachment URLs.
        """
        modes = self.modes
        if raw_path.startswith("/files/") and method == "GET":
            return self._file(unquote(raw_path[len("/files/") :]), modes)
        if not raw_path.startswith("/v1/"):
            return self._error(None, f"Unknown endpoint {method} {raw_path}", 404, modes)
        if not self._authorised(headers):
            return self._error(104, "Invalid credentials", 401, modes)
        self.state.catch_up()
        path = raw_path[len("/v1") :].rstrip("/") or "/"
        handler = self._routes.get((method, path))
        if handler is not None:
            return handler("", query, body, origin)
        for (verb, prefix), prefixed in self._prefixed.items():
            if method == verb and path.startswith(prefix) and "/" not in path[len(prefix) :]:
                return prefixed(unquote(path[len(prefix) :]), query, body, origin)
        return self._error(None, f"Unknown endpoint {method} {raw_path}", 404, modes)

    def _authorised(self, headers: dict[str, str]) -> bool:
        client_id = headers.get("x-client-id", "").encode()
        secret = headers.get("x-client-secret", "").encode()
        # Compare both, always, so timing says nothing about which one was wrong.
        id_ok = hmac.compare_digest(client_id, self._client_id)
        secret_ok = hmac.compare_digest(secret, self._client_secret.reveal().encode())
        return id_ok and secret_ok

    def _error(self, code: int | None, message: str, status: int, modes: Modes) -> Reply:
        return json_reply(
            render.error_body(code, message, modes), 400 if modes.plain_400 else status
        )

    def _paging(self, query: Query) -> tuple[int, int] | Reply:
        limit_text, page_text = query.get("limit", "1000"), query.get("page", "1")
        if not _INTEGER.fullmatch(limit_text) or not 1 <= int(limit_text) <= 2000:
            return self._error(135, "limit must be an integer from 1 to 2000", 400, self.modes)
        if not _INTEGER.fullmatch(page_text) or int(page_text) < 1:
            return self._error(136, "page must be an integer of at least 1", 400, self.modes)
        return int(limit_text), int(page_text)

    # -- endpoints -----------------------------------------------------------------------

    def _senderids(self, *_: object) -> Reply:
        return json_reply(
            [
                {"ID": 3, "name": "SmsShop", "order": "1"},
                {"ID": 5, "name": "HelpDesk", "order": "2"},
            ]
        )

    def _vmn(self, *_: object) -> Reply:
        countries = {"32": "BE", "48": "PL", "31": "NL"}
        return json_reply(
            [
                {"ID": str(17 + n), "number": number, "countrycode": countries.get(number[:2], "")}
                for n, number in enumerate(self.state.directory.own_numbers)
            ]
        )

    def _account(self, *_: object) -> Reply:
        return json_reply(
            {
                "username": self._client_id.decode(),
                "email": "demo@smsshop.example",
                "firstname": "Demo",
                "lastname": "Account",
                "company": "SmsShop",
                "credits": "42.50",
                "currency": "EUR",
                "language": "en",
                "country": "BE",
            }
        )

    def _inbox(self, inbox_nr: str, query: Query, _body: bytes, _origin: str) -> Reply:
        paging = self._paging(query)
        if isinstance(paging, Reply):
            return paging
        limit, page = paging
        receiver: str | None = None
        if inbox_nr:
            receiver = normalise_number(inbox_nr)
            if receiver not in self.state.directory.own_numbers:
                return self._error(132, f"Inbox {inbox_nr:.20} does not exist", 404, self.modes)
        kind = query.get("type", "sms")
        if kind not in ("sms", "whatsapp", "call"):
            return self._error(
                139, "Invalid parameter: type must be sms, whatsapp or call", 400, self.modes
            )
        items: list[JsonObject] = []
        total = 0
        with self.state.lock:
            if kind == "sms":
                total, messages = self.state.inbound(receiver, (page - 1) * limit, limit)
                items = [render.inbox_item(m, with_receiver=not inbox_nr) for m in messages]
        return json_reply(render.envelope(total, page, limit, "messages", items))

    def _conversation(self, phone: str, query: Query, _body: bytes, origin: str) -> Reply:
        paging = self._paging(query)
        if isinstance(paging, Reply):
            return paging
        limit, page = paging
        modes = self.modes
        with self.state.lock:
            total, messages = self.state.conversation(phone, (page - 1) * limit, limit)
            items = [
                render.conversation_item(m, self.state.status(m), modes, origin) for m in messages
            ]
        return json_reply(render.envelope(total, page, limit, "conversation", items))

    def _history(self, _: str, query: Query, _body: bytes, _origin: str) -> Reply:
        paging = self._paging(query)
        if isinstance(paging, Reply):
            return paging
        limit, page = paging
        modes = self.modes
        with self.state.lock:
            total, messages = self.state.outbound((page - 1) * limit, limit)
            items = [render.history_item(m, self.state.status(m), modes) for m in messages]
        return json_reply(render.envelope(total, page, limit, "messages", items))

    def _contacts(self, _: str, query: Query, _body: bytes, _origin: str) -> Reply:
        paging = self._paging(query)
        if isinstance(paging, Reply):
            return paging
        limit, page = paging
        contacts = self.state.contacts()
        window = contacts[(page - 1) * limit : page * limit]
        items = [render.contact_item(c) for c in window]
        return json_reply(render.envelope(len(contacts), page, limit, "contacts", items))

    def _outbox(self, _: str, query: Query, _body: bytes, _origin: str) -> Reply:
        paging = self._paging(query)
        if isinstance(paging, Reply):
            return paging
        limit, page = paging
        scheduled = self.state.outbox()
        items: list[JsonObject] = [
            {
                "ID": s.outbox_id,
                "message": s.order.text,
                "to": s.number,
                "type": "single",
                "date": s.order.schedule_text,
                "reference": s.order.reference,
                "messageid": s.message_id,
            }
            for s in scheduled[(page - 1) * limit : page * limit]
        ]
        return json_reply(render.envelope(len(scheduled), page, limit, "messages", items))

    def _cancel_outbox(self, outbox_id: str, *_: object) -> Reply:
        if self.state.cancel_scheduled(outbox_id):
            return json_reply({"ID": outbox_id})
        return self._error(133, f"Message {outbox_id:.20} does not exist", 404, self.modes)

    def _send(self, _: str, _query: Query, body: bytes, _origin: str) -> Reply:
        if not body.strip():
            return self._error(114, "Request body is empty", 400, self.modes)
        try:
            decoded = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return self._error(None, "The JSON body could not be parsed", 400, self.modes)
        try:
            order = validate_send(decoded, self.state.now())
        except SendRejected as rejected:
            return self._error(rejected.code, rejected.message, 400, self.modes)
        ids = self.state.send(order)
        return json_reply({"messageids": ids} if order.as_list else {"messageid": ids[0]})

    def _file(self, name: str, modes: Modes) -> Reply:
        kind = files.content_type(name)
        if kind is None:
            return self._error(None, "File not found", 404, modes)
        return Reply(200, files.file_bytes(name), kind)
