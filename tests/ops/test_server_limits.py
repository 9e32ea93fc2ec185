"""Requests gunicorn rejects before the app sees them are problem+json too, on a real
gunicorn: a request line over the limit (414), too many header fields (431) and a
malformed request line (400)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

from tests.ops.support import gunicorn


def raw(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def test_requests_rejected_by_gunicorn_are_problems(tmp_path: Path, spec: dict[str, Any]) -> None:
    validator = OAS30Validator(
        {"$ref": "#/components/schemas/Problem", "components": spec["components"]}
    )
    many_headers = "".join(f"X-Veld-{i}: x\r\n" for i in range(60))
    cases = {
        414: b"GET /v1/" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        431: f"GET /v1/modellen HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n".encode(),
        400: b"GET /v1/modellen <script> HTTP/1.1\r\nHost: x\r\n\r\n",
    }
    with gunicorn(tmp_path, workers=1) as server:
        for expected, request in cases.items():
            status, headers, body = raw(server.port, request)
            assert status == expected, body
            assert headers["content-type"] == "application/problem+json"
            assert headers["x-content-type-options"] == "nosniff"
            assert int(headers["content-length"]) == len(body)
            problem = json.loads(body)
            validator.validate(problem)
            assert problem["status"] == expected
            assert b"<" not in body  # nothing of the request is echoed as markup
        # and the worker goes on serving
        assert server.get("/v1/health/live")[0] == 200
