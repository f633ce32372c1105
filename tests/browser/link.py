"""A slow network link in user space: a TCP proxy with a delay and a byte rate.

This kind of machine has no ``netem``, so a Binder-like connection (say 20 ms
each way, 20 Mbit/s) is imitated by a small asyncio proxy between the browser
and the server. Each direction is one link shared by every connection, as a
learner's line is: a chunk of n bytes waits until the link is free, occupies
it for n / rate seconds, then arrives `delay` seconds later. Web sockets are
plain TCP to it, so widget messages and pictures pay the same price.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
from contextlib import contextmanager

_CHUNK = 16 * 1024  # bytes read at a time: a big picture streams in pieces


class _Direction:
    """One way along the link: when each chunk sent now will arrive."""

    def __init__(self, delay: float, bytes_per_s: float):
        self.delay, self.rate = delay, bytes_per_s
        self.free = 0.0  # when the link has sent everything queued so far
        self.held: list | None = None  # (writer, chunk) waiting while held

    def arrival(self, now: float, size: int) -> float:
        self.free = max(now, self.free) + size / self.rate
        return self.free + self.delay


class LinkProxy:
    """Forward 127.0.0.1:`port` to 127.0.0.1:`target` over a slow link.

    Parameters
    ----------
    target : int
        The server's port.
    delay_ms : float
        One-way delay, in milliseconds (the round trip is twice this).
    mbit : float
        Bandwidth in each direction, in megabits per second.

    Use as a context manager, or call `start` and `stop`.
    """

    def __init__(self, target: int, delay_ms: float, mbit: float):
        if delay_ms < 0:
            raise ValueError(f"delay_ms must be >= 0; got {delay_ms}")
        if mbit <= 0:
            raise ValueError(f"mbit must be > 0; got {mbit}")
        self.target = target
        self.delay = delay_ms / 1000
        self.bytes_per_s = mbit * 1e6 / 8
        self.port: int | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server = None
        self._down: _Direction | None = None  # server -> browser, once listening

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LinkProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = future.result(timeout=10)
        return self

    def stop(self) -> None:
        async def close():
            # Stop listening and end the connections still open (a browser
            # keeps some alive), so no task is left pending when the loop ends
            # (a connection's task must not end cancelled: Python 3.11's
            # asyncio.start_server reports that as an error).
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        if self._server is not None:
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()

    @contextmanager
    def holding_replies(self):
        """Hold everything the server sends while the block runs, then send it
        on over the link, in order: the page hears nothing from the server
        meanwhile (what was already on its way still arrives)."""

        async def hold():
            self._down.held = []

        async def release():
            loop = asyncio.get_running_loop()
            held, self._down.held = self._down.held, None
            for writer, data in held:
                when = self._down.arrival(loop.time(), len(data))
                loop.call_at(when, _write, writer, data)

        asyncio.run_coroutine_threadsafe(hold(), self._loop).result(timeout=10)
        try:
            yield
        finally:
            asyncio.run_coroutine_threadsafe(release(), self._loop).result(timeout=10)

    def __enter__(self) -> LinkProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def _listen(self) -> int:
        up = _Direction(self.delay, self.bytes_per_s)  # browser -> server
        down = self._down = _Direction(self.delay, self.bytes_per_s)  # the other way

        async def connect(client_reader, client_writer):
            try:
                server_reader, server_writer = await asyncio.open_connection(
                    "127.0.0.1", self.target
                )
            except OSError:
                client_writer.close()
                return
            try:
                await asyncio.gather(
                    self._pipe(client_reader, server_writer, up),
                    self._pipe(server_reader, client_writer, down),
                )
            except asyncio.CancelledError:  # `stop`; end quietly (see below)
                pass

        self._server = await asyncio.start_server(connect, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def _pipe(self, reader, writer, direction: _Direction) -> None:
        loop = asyncio.get_running_loop()
        when = loop.time()
        try:
            while data := await reader.read(_CHUNK):
                if direction.held is not None:
                    direction.held.append((writer, data))
                    continue
                when = direction.arrival(loop.time(), len(data))
                loop.call_at(when, _write, writer, data)
        except (ConnectionError, OSError):
            pass
        # Close once the last chunk has arrived (a half-close would do, but
        # the servers here close both ways anyway).
        loop.call_at(max(when, loop.time()) + 1e-6, _close, writer)


def _write(writer, data: bytes) -> None:
    if not writer.is_closing():
        writer.write(data)


def _close(writer) -> None:
    if not writer.is_closing():
        writer.close()


def parse_link(text: str) -> tuple[float, float]:
    """Read a command line's ``DELAY,MBIT`` (one-way ms, Mbit/s), as argparse's
    `type` for the benchmarks' ``--link``."""
    try:
        delay_ms, mbit = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be DELAY,MBIT such as 20,20; got {text!r}"
        ) from None
    return delay_ms, mbit
