"""The container image, built with podman and run: `make test-image` (and `.ci/run`).

The image is built from the Dockerfile with a base made of Debian packages
(deploy/image/base.sh; MKBA_BASE_IMAGE to use another, e.g. the official slim image),
then run as it would run on Kubernetes (deploy/k8s): read-only root filesystem, every
capability dropped, no privilege escalation. It must report healthy through its own
HEALTHCHECK, run as its non-root user, answer the Bijlage II example, log each request as
a JSON line, run every model of formulas_spec/ (natively where it has a C form), hold no
compiler or build-only package, and exit 0 on SIGTERM. Image size and start-to-ready time
are printed (`-s`) for the README. Needs podman (and root, as here); skipped without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import canonicalize_name

from tests.bijlage_ii import AMOUNTS, QUANTITIES, RETURNS, page_round
from tests.ops.support import free_port
from tests.ops.test_lock import pins

pytestmark = [
    pytest.mark.image,
    pytest.mark.skipif(shutil.which("podman") is None, reason="podman is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
PODMAN = str(ROOT / "deploy" / "image" / "podman.sh")
IMAGE = os.environ.get("MKBA_IMAGE", "localhost/mkba-service:test")
BASE = os.environ.get("MKBA_BASE_IMAGE", "localhost/mkba-base:bookworm")
CALC = "/v1/modellen/mkba-1gezin1plan/berekeningen"
READY_TIMEOUT = 120.0
REPORT: dict[str, Any] = {}


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PODMAN, *args], capture_output=True, text=True, check=check, timeout=timeout
    )


@pytest.fixture(scope="module")
def image() -> str:
    started = time.monotonic()
    build = subprocess.run(
        [str(ROOT / "deploy" / "image" / "build.sh"), IMAGE, BASE],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    REPORT["build seconds (cached layers count)"] = round(time.monotonic() - started, 1)
    REPORT["image size MB"] = round(
        int(podman("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout) / 1e6, 1
    )
    return IMAGE


@pytest.fixture(scope="module")
def container(image: str) -> Iterator[dict[str, Any]]:
    name = f"mkba-image-test-{os.getpid()}"
    port = free_port()
    podman("rm", "--force", "--ignore", name)
    started = time.monotonic()
    podman(
        "run", "--detach", "--name", name,
        # the host's loopback only: the test talks to it, nothing else can
        "--network", "host", "--env", "HOST=127.0.0.1", "--env", f"PORT={port}",
        "--env", "WEB_CONCURRENCY=2",
        # as deploy/k8s runs it
        "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        # the image's HEALTHCHECK, run below by `podman healthcheck run`: podman's own
        # timer for it needs systemd, which this host does not have
        "--health-interval", "disable",
        image,
    )  # fmt: skip
    try:
        while podman("healthcheck", "run", name, check=False).returncode != 0:
            state = podman("inspect", "--format", "{{.State.Status}}", name).stdout.strip()
            assert state == "running", podman("logs", name, check=False).stderr[-3000:]
            assert time.monotonic() - started < READY_TIMEOUT, "never healthy"
            time.sleep(0.25)
        REPORT["start to healthy seconds"] = round(time.monotonic() - started, 2)
        yield {"name": name, "url": f"http://127.0.0.1:{port}"}
    finally:
        podman("rm", "--force", "--ignore", name, check=False)


def inspect(name: str) -> dict[str, Any]:
    return json.loads(podman("inspect", name).stdout)[0]


def in_container(container: dict[str, Any], *command: str) -> str:
    return podman("exec", container["name"], *command).stdout


def test_healthcheck_reports_healthy(container: dict[str, Any]) -> None:
    state = inspect(container["name"])["State"]
    health = state.get("Health") or state.get("Healthcheck")
    assert health["Status"] == "healthy"
    config = inspect(container["name"])["Config"]["Healthcheck"]
    assert config["Test"][-3:] == ["python", "-m", "service.api.healthcheck"]


def test_runs_as_the_non_root_user(container: dict[str, Any]) -> None:
    assert inspect(container["name"])["Config"]["User"] == "app"
    status = in_container(container, "cat", "/proc/1/status")
    uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
    assert set(uids) == {"10001"}, "gunicorn (PID 1) runs as user app"
    assert in_container(container, "id", "-u").strip() == "10001"


def test_bijlage_ii_through_the_container(container: dict[str, Any]) -> None:
    request = urllib.request.Request(
        container["url"] + CALC,
        data=b"{}",
        headers={"Content-Type": "application/json", "X-Request-ID": "image-test-bijlage-ii"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert response.headers["API-Version"]
        body = json.load(response)
    assert body["rekenfouten"] == []
    flat = {k: v for group in body["uitvoer"].values() for k, v in group.items()}
    assert {k: page_round(flat[k]) for k in QUANTITIES} == QUANTITIES
    assert {k: page_round(flat[k], 1000) for k in AMOUNTS} == AMOUNTS
    assert {k: page_round(flat[k], 0.01) for k in RETURNS} == RETURNS


def test_a_report_through_the_container(container: dict[str, Any], tmp_path: Path) -> None:
    """The council report renders in the image: WeasyPrint finds pango and harfbuzz there,
    and the PDF embeds its fonts (checked with pdffonts where the host has it)."""
    request = urllib.request.Request(
        container["url"] + CALC.replace("/berekeningen", "/rapporten"),
        data=b"{}",
        headers={"Content-Type": "application/json", "Accept": "application/pdf"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/pdf"
        pdf = response.read()
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdffonts"):
        path = tmp_path / "rapport.pdf"
        path.write_bytes(pdf)
        table = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        rows = [line.split() for line in table.splitlines()[2:]]
        assert rows and all(row[-5] == "yes" for row in rows), table


def test_access_log_is_json(container: dict[str, Any]) -> None:
    logs = podman("logs", container["name"])
    records = []
    for line in (logs.stdout + logs.stderr).splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    calc = [r for r in records if r.get("requestId") == "image-test-bijlage-ii"]
    assert calc, "the calculation of the test above is in the access log"
    assert calc[0]["method"] == "POST" and calc[0]["path"] == CALC and calc[0]["status"] == 200
    assert calc[0]["durationMs"] > 0
    # gunicorn's and the service's own lines are JSON too, and none is an error
    errors = [r for r in records if r.get("level") in ("ERROR", "CRITICAL")]
    assert errors == [], errors


def test_every_model_runs_in_the_image(container: dict[str, Any]) -> None:
    """Each model loads, calculates its defaults, and uses its native engine if it has C."""
    script = (
        "import json, os; from pathlib import Path; from service.engine import load_models\n"
        "ms = load_models(Path(os.environ['MKBA_MODELS_DIR']))\n"
        "print(json.dumps({i: {'c': m.module.NATIVE is not None, 'native': m.native is not None,"
        " 'outputs': len(m.calculate())} for i, m in ms.items()}))"
    )
    models = json.loads(in_container(container, "python", "-c", script))
    workbooks = {p.stem for p in (ROOT / "formulas_spec").glob("*.xlsx")}
    assert set(models) == workbooks
    for model_id, found in models.items():
        assert found["outputs"] > 0, model_id
        assert found["native"] == found["c"], f"{model_id}: native engine loaded if it has C"


def test_no_compiler_and_no_build_only_package(image: str) -> None:
    tools = "gcc cc c++ g++ clang tcc make ld as pip pip3"
    found = podman(
        "run", "--rm", "--network", "none", "--entrypoint", "sh", image,
        "-c", f"for t in {tools}; do command -v $t; done; true",
    ).stdout.split()  # fmt: skip
    assert found == [], f"build tools in the runtime image: {found}"
    names = "import importlib.metadata as m; print(*(d.name for d in m.distributions()))"
    installed = podman(
        "run", "--rm", "--network", "none", image, "python", "-c", names
    ).stdout.split()  # fmt: skip
    assert {canonicalize_name(n) for n in installed} == set(pins("runtime.txt"))


def test_sigterm_stops_it_cleanly(container: dict[str, Any]) -> None:
    podman("kill", "--signal", "TERM", container["name"])
    exit_code = podman("wait", container["name"], timeout=60).stdout.strip()
    assert exit_code == "0"
    logs = podman("logs", container["name"])
    assert "Shutting down" in logs.stdout + logs.stderr
    REPORT["base image"] = BASE
    print("\nimage report:", json.dumps(REPORT))  # noqa: T201 - for the README
