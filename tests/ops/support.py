"""A real gunicorn on a free loopback port, and raw HTTP over sockets, for the server tests.

Requests are sent in two steps: the headers and all of the body but its last byte, then
(when the test says) the last byte. In between the request is in flight in a worker,
which the `pre_request` marker of gunicorn_markers.conf.py confirms.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONF = Path(__file__).resolve().with_name("gunicorn_markers.conf.py")
CALC = "/v1/modellen/mkba-1gezin1plan/berekeningen"
START_TIMEOUT = 60.0
STEP_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate, what: str, timeout: float = STEP_TIMEOUT):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    markers: Path

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(p) for p in path.read_text().split())
        except OSError:
            return []

    def in_flight(self) -> list[int]:
        """Worker pids of the requests that reached a worker, in order."""
        names = sorted(self.markers.iterdir(), key=lambda p: int(p.name.split(".")[1]))
        return [int(p.name.split(".")[0]) for p in names]

    def get(self, path: str) -> tuple[int, bytes]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
            return r.status, r.read()


@contextmanager
def gunicorn(
    tmp_path: Path, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[Server]:
    markers = tmp_path / "markers"
    markers.mkdir()
    metrics = tmp_path / "metrics"
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_GRACEFUL_TIMEOUT": "15",
        "GUNICORN_ACCESS_LOG": "",
        "MKBA_TEST_MARKER_DIR": str(markers),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONF), "service:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(process, port, markers)
    try:

        def ready() -> bool:
            assert process.poll() is None, "gunicorn exited during start-up"
            try:
                return server.get("/v1/health/ready")[0] == 200
            except OSError:
                return False

        wait_for(ready, "readiness", START_TIMEOUT)
        wait_for(lambda: len(server.workers()) == workers, "all workers")
        for marker in markers.iterdir():  # the readiness probes
            marker.unlink()
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


BODY = json.dumps({"invoer": {"disconteringsvoet": 0.0225}}).encode()


class HeldRequest:
    """A calculation request sent but for the last byte of its body."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=STEP_TIMEOUT)
        head = (
            f"POST {CALC} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\nConnection: close\r\n\r\n"
        ).encode()
        self.sock.sendall(head + BODY[:-1])

    def finish(self) -> tuple[int | None, bytes]:
        """Send the last byte and read the answer: (status, body), or (None, b"") when
        the connection was dropped."""
        try:
            self.sock.sendall(BODY[-1:])
            chunks = []
            while chunk := self.sock.recv(65536):
                chunks.append(chunk)
        except OSError:
            return None, b""
        finally:
            self.sock.close()
        raw = b"".join(chunks)
        if not raw.startswith(b"HTTP/1.1 "):
            return None, raw
        head, _, body = raw.partition(b"\r\n\r\n")
        return int(head.split()[1]), body
