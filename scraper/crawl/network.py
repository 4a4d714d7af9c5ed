"""httpcore's network layer on asyncio's own transports, for the crawl's connection pools.

httpcore reaches asyncio through anyio: every read and write opens a cancel scope (`fail_after`), asks sniffio
which event loop runs and yields once more, and the pool's check of an idle connection (`is_readable`, at every
request and every response closed) rebuilds anyio's whole table of socket attributes. In a crawl that was about
a sixth of the event loop's CPU, more than the bytes' own trip through the kernel. Here a connection is an asyncio
transport with a protocol buffering what arrives: a read returns what is buffered or waits for the next
`data_received`, a write hands the bytes to the transport, TLS is asyncio's `start_tls`. Errors and timeouts are
httpcore's exceptions, as from its anyio backend, so httpx maps them to the same `httpx` exceptions.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

# Past this many unread bytes the transport stops reading from the socket until the buffer is read down.
HIGH_WATER = 256 * 1024
_SOCKET_INFO = {"client_addr": "sockname", "server_addr": "peername", "socket": "socket",
                "ssl_object": "ssl_object"}


class _Protocol(asyncio.Protocol):
    """Buffers what a connection receives and wakes the one reader (or writer) waiting on it."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None   # the TLS transport once `start_tls` has run
        self.ended = False                      # EOF received or connection lost: no more data will come
        self.error: BaseException | None = None  # why the connection was lost, if not a clean close
        self._waiter: asyncio.Future[None] | None = None
        self._reading_paused = False            # we paused the transport: too much unread
        self._writing_paused = False            # the transport paused us: too much unsent

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > HIGH_WATER and not self._reading_paused:
            self._reading_paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> None:
        self.ended = True
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.error = exc
        self._writing_paused = False
        self._wake()

    def pause_writing(self) -> None:
        self._writing_paused = True

    def resume_writing(self) -> None:
        self._writing_paused = False
        self._wake()

    def take(self, max_bytes: int) -> bytes:
        """Up to `max_bytes` of what is buffered (reading resumes once the buffer is low again)."""
        buffer = self.buffer
        if len(buffer) <= max_bytes:
            data = bytes(buffer)
            buffer.clear()
        else:
            data = bytes(buffer[:max_bytes])
            del buffer[:max_bytes]
        if self._reading_paused and len(buffer) <= HIGH_WATER and not self.ended:
            self._reading_paused = False
            self.transport.resume_reading()
        return data

    async def wait_for_data(self, timeout: float | None) -> None:
        """Until something is buffered or the connection has ended; TimeoutError after `timeout` seconds."""
        while not self.buffer and not self.ended:
            await self._wait(timeout)

    async def drain(self, timeout: float | None) -> None:
        """Until the transport takes more writes (it paused us at its high-water mark)."""
        while self._writing_paused:
            await self._wait(timeout)

    async def _wait(self, timeout: float | None) -> None:
        # A timer on the one future, not `asyncio.timeout`: no task cancelling and uncancelling at every read.
        loop = asyncio.get_running_loop()
        self._waiter = waiter = loop.create_future()
        timer = loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection (plain or TLS) for httpcore."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        if not protocol.buffer and not protocol.ended:
            try:
                await protocol.wait_for_data(timeout)
            except TimeoutError as exc:
                raise httpcore.ReadTimeout(str(exc)) from exc
        if protocol.buffer:
            return protocol.take(max_bytes)
        if protocol.error is not None:
            raise httpcore.ReadError(str(protocol.error) or type(protocol.error).__name__) from protocol.error
        return b""                              # the server closed the connection

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if protocol.error is not None or self._transport.is_closing():
            raise httpcore.WriteError(str(protocol.error or "connection closed"))
        self._transport.write(buffer)
        try:
            await protocol.drain(timeout)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(self._transport, self._protocol, ssl_context,
                                                 server_hostname=server_hostname)
        except TimeoutError as exc:
            self._transport.abort()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except (OSError, ssl.SSLError) as exc:
            self._transport.abort()
            raise httpcore.ConnectError(str(exc)) from exc
        if transport is None:                   # the connection was closed during the handshake
            raise httpcore.ConnectError("connection closed during the TLS handshake")
        self._protocol.transport = transport
        return AsyncioStream(transport, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":               # for an idle connection: the server closed it, or sent junk
            return bool(self._protocol.buffer) or self._protocol.ended
        name = _SOCKET_INFO.get(info)
        return self._transport.get_extra_info(name) if name else None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens `AsyncioStream` TCP connections (TCP_NODELAY, as asyncio sets for TCP; the crawl opens no Unix
    sockets, so httpcore's default refusal of those stays)."""

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                # Happy eyeballs as anyio's `connect_tcp` does them: the next address after 0.25 s.
                transport, protocol = await loop.create_connection(_Protocol, host, port, local_addr=local,
                                                                   happy_eyeballs_delay=0.25)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        sock: socket.socket | None = transport.get_extra_info("socket")
        if sock is not None:
            for option in socket_options or ():
                sock.setsockopt(*option)
        return AsyncioStream(transport, protocol)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
