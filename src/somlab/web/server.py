"""The HTTP protocol `somlab serve` runs: uvicorn's httptools protocol with a deadline for each
request's headers, so that a client that connects and sends nothing, or sends its headers a
byte at a time, is disconnected (uvicorn only times out idle keep-alive connections). Request
bodies have their own deadline in `somlab.web.api.read_body`."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_SECONDS = (
    10.0  # from connecting (or the previous response) to the end of the headers
)
KEEP_ALIVE_SECONDS = 5  # an idle keep-alive connection is closed after this


class DeadlineHttpToolsProtocol(HttpToolsProtocol):
    header_timeout = HEADER_TIMEOUT_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_deadline()

    def on_headers_complete(self) -> None:
        self._disarm_deadline()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_deadline()
        super().connection_lost(exc)

    def _arm_deadline(self) -> None:
        self._disarm_deadline()
        self._deadline: asyncio.TimerHandle | None = self.loop.call_later(
            self.header_timeout, self._expire
        )

    def _disarm_deadline(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.transport.close()
