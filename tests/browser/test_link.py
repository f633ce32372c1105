"""The slow link the browser benchmark uses (tests/browser/link.py).

Only lower bounds are asserted: a busy machine can make a transfer slower,
never faster, than the link allows.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from .link import LinkProxy


@pytest.fixture
def echo_port():
    """A TCP server on 127.0.0.1 that sends back whatever it receives."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(65536):
                    conn.sendall(data)

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def round_trip(port: int, size: int) -> float:
    """Send `size` bytes through the link and wait for all of them back.

    Every wait is bounded: a link that drops the connection or stalls fails
    the test instead of hanging the run.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        start = time.monotonic()
        conn.sendall(b"x" * size)
        got = 0
        while got < size:
            piece = conn.recv(65536)
            if not piece:
                pytest.fail(f"the link closed after {got} of {size} bytes came back")
            got += len(piece)
        return time.monotonic() - start


def test_a_message_pays_the_delay_both_ways(echo_port):
    with LinkProxy(echo_port, delay_ms=30, mbit=100) as link:
        assert round_trip(link.port, 10) >= 0.060


def test_a_big_message_pays_for_its_bytes(echo_port):
    # 250 KB at 10 Mbit/s: 0.2 s up, and the echo 0.2 s down, pipelined in
    # 16 KB pieces: at least 0.2 s plus the last piece's way back.
    with LinkProxy(echo_port, delay_ms=0, mbit=10) as link:
        assert round_trip(link.port, 250_000) >= 0.2


@pytest.mark.parametrize("delay, mbit", [(-1, 10), (20, 0)])
def test_link_names_a_bad_setting(delay, mbit):
    with pytest.raises(ValueError, match="delay_ms|mbit"):
        LinkProxy(8080, delay, mbit)


def test_held_replies_arrive_in_order_once_released(echo_port):
    with LinkProxy(echo_port, delay_ms=5, mbit=100) as link:
        with socket.create_connection(("127.0.0.1", link.port), timeout=10) as conn:
            conn.sendall(b"before")
            assert conn.recv(100) == b"before"
            with link.holding_replies():
                conn.sendall(b"held")
                conn.settimeout(0.3)
                with pytest.raises(TimeoutError):
                    conn.recv(100)  # the echo is held
            conn.settimeout(10)
            conn.sendall(b"after")
            got = b""
            while len(got) < len(b"heldafter"):
                got += conn.recv(100)
            assert got == b"heldafter"
