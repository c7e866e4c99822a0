"""How the reference client talks to the server: JSON over HTTP with a bearer token.

``HttpTransport`` works with anything that has aiohttp's ``request(method, url, **kw)``: an
``aiohttp.ClientSession`` with an absolute ``base_url``, or the test suite's ``TestClient`` with
relative paths. ``LossyTransport`` injects the two network faults the protocol must survive: a
request that never arrives, and a response that is lost after the server committed.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

import aiohttp


class TransportError(Exception):
    """The exchange failed on the wire: the server may or may not have applied the request."""


class SyncHttpError(Exception):
    """The server answered with an error status and the standard error shape."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body.get('code')}: {body.get('error')}")
        self.status = status
        self.body = body

    @property
    def code(self) -> str | None:
        code = self.body.get("code")
        return str(code) if code is not None else None

    @property
    def details(self) -> dict[str, Any]:
        details = self.body.get("details")
        return details if isinstance(details, dict) else {}


class Requester(Protocol):
    """``aiohttp.ClientSession`` (absolute URLs) or aiohttp's ``TestClient`` (relative paths)."""

    def request(
        self, method: str, url: str, /, *, json: Any, headers: dict[str, str]
    ) -> Awaitable[aiohttp.ClientResponse]: ...


class Transport(Protocol):
    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST ``body`` as JSON; the status and the decoded JSON answer."""
        ...


class HttpTransport:
    def __init__(self, session: Requester, token: str, base_url: str = "") -> None:
        self._session = session
        self._token = token
        self._base_url = base_url.rstrip("/")

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            response = await self._session.request(
                "POST", self._base_url + path, json=body, headers=headers
            )
            try:
                data = await response.json(content_type=None)
            finally:
                response.release()
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise TransportError(str(exc) or type(exc).__name__) from exc
        return int(response.status), data if isinstance(data, dict) else {}


class LossyTransport:
    """Wraps a transport and drops exchanges on demand, by path suffix (e.g. ``"/push"``).

    ``drop_requests``: the next ``n`` matching requests never reach the server.
    ``drop_responses``: the next ``n`` matching requests are served and committed, but the
    answer is lost on the way back, as when a phone loses signal after sending.
    """

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self._requests: dict[str, int] = {}
        self._responses: dict[str, int] = {}
        self.lost_responses = 0

    def drop_requests(self, suffix: str, n: int = 1) -> None:
        self._requests[suffix] = self._requests.get(suffix, 0) + n

    def drop_responses(self, suffix: str, n: int = 1) -> None:
        self._responses[suffix] = self._responses.get(suffix, 0) + n

    def clear(self) -> None:
        """Forget faults that have not fired yet."""
        self._requests.clear()
        self._responses.clear()

    def _take(self, pending: dict[str, int], path: str) -> bool:
        for suffix, left in pending.items():
            if left > 0 and path.endswith(suffix):
                pending[suffix] = left - 1
                return True
        return False

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self._take(self._requests, path):
            raise TransportError(f"request to {path} lost (injected)")
        answer = await self.inner.post(path, body)
        if self._take(self._responses, path):
            self.lost_responses += 1
            raise TransportError(f"response from {path} lost (injected)")
        return answer
