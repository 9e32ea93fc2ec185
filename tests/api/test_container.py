"""The Dockerfile's commands, run here as the image would run them.

The image itself is built and run by tests/ops/test_image.py (`make test-image`, needs
podman). This test, which needs no container engine, reads the Dockerfile and checks its
shape (multi-stage, slim base, non-root user, exec-form CMD and HEALTHCHECK without
curl), then runs its CMD (gunicorn with gunicorn.conf.py) and its HEALTHCHECK
command against that server, with the environment the image sets.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.api.support import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def exec_form(value: str) -> list[str]:
    assert value.startswith("["), f"not exec form: {value}"
    return json.loads(value)


def the(keyword: str) -> str:
    found = [rest for kw, rest in instructions() if kw == keyword]
    assert found, keyword
    return found[-1]


def test_dockerfile_shape() -> None:
    stages = [rest for kw, rest in instructions() if kw == "FROM"]
    assert len(stages) >= 2, "multi-stage"
    assert re.search(r"python:3\.11-slim", DOCKERFILE)
    user = the("USER")
    assert user not in ("root", "0"), "non-root"
    assert exec_form(the("CMD"))[0] == "gunicorn"
    health = the("HEALTHCHECK")
    assert "curl" not in health and "wget" not in health
    assert exec_form(health.split("CMD", 1)[1].strip())[:3] == [
        "python",
        "-m",
        "service.api.healthcheck",
    ]


def test_the_build_stage_builds_the_native_engine_for_the_runtime() -> None:
    runs = [rest for kw, rest in instructions() if kw == "RUN"]
    assert any("gcc" in r and "apt-get install" in r for r in runs)
    assert any(r.endswith("-m service.compiler --native formulas_spec") for r in runs)
    copies = [rest for kw, rest in instructions() if kw == "COPY" and "formulas_spec" in rest]
    assert copies[-1].startswith("--from=build "), "the runtime takes the built models"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert "formulas_spec/compiled/*.so" in ignored, "a local build never enters the image"


def test_dockerignore_keeps_what_the_image_copies() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for needed in (
        "pyproject.toml",
        "service",
        "formulas_spec",
        "openapi.yaml",
        "gunicorn.conf.py",
    ):
        assert needed not in ignored


def image_env(port: int) -> dict[str, str]:
    """The ENV of the runtime stage, with paths pointed at this checkout."""
    env = dict(os.environ)
    env_line = [rest for kw, rest in instructions() if kw == "ENV"][-1]
    for item in shlex.split(env_line):
        key, _, value = item.partition("=")
        env[key] = value
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        HOST="127.0.0.1",  # loopback only, here
        PORT=str(port),
        WEB_CONCURRENCY="2",
        MKBA_MODELS_DIR=os.environ.get("MKBA_MODELS_DIR", str(ROOT / "formulas_spec")),
        MKBA_OPENAPI_PATH=str(ROOT / "openapi.yaml"),
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthcheck(env: dict[str, str]) -> int:
    command = exec_form(the("HEALTHCHECK").split("CMD", 1)[1].strip())
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=10).returncode


def test_cmd_serves_and_healthcheck_passes() -> None:
    port = free_port()
    env = image_env(port)
    assert healthcheck(env) == 1, "no server yet: unhealthy"
    server = subprocess.Popen(
        exec_form(the("CMD")),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while healthcheck(env) != 0:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "gunicorn did not become healthy"
            time.sleep(0.3)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/modellen/mkba-1gezin1plan/berekeningen",
            data=b"{}",
            headers={"Content-Type": "application/json", "X-Request-ID": "container-test"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["API-Version"]
            assert json.load(response)["uitvoer"]
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr
    access = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    calc = [r for r in access if r["requestId"] == "container-test"]
    assert calc and calc[0]["status"] == 200 and calc[0]["method"] == "POST"
